import { createRequire } from "node:module";
import pg from "pg";
import { type Db, databaseFile, databaseUrlOf } from "./db.js";
import { databaseKind } from "./config.js";

/** A DateTime column as either driver returns it: a Date (PostgreSQL) or ISO text (SQLite). */
export function asDate(value: Date | string | null): Date | null {
  if (value === null) return null;
  return value instanceof Date ? value : new Date(value);
}

type Read =
  | "sessionUsers"
  | "profiles"
  | "friendships"
  | "ignoresBy"
  | "ignoresOf"
  | "unliftedSanctions"
  | "liveNotices";

/**
 * `$ids` is the batch of ids, bound as one parameter: one prepared statement for every size;
 * `$value` is the one scalar parameter of the others.
 */
const SQL: Record<Read, string> = {
  sessionUsers: `SELECT s."id" AS "sessionId", s."expiresAt", s."revokedAt",
      u."id", u."username", u."role", u."appearOffline"
    FROM "Session" s JOIN "User" u ON u."id" = s."userId" WHERE s."id" IN ($ids)`,
  profiles: `SELECT "id", "username", "appearOffline" FROM "User" WHERE "id" IN ($ids)`,
  friendships: `SELECT "userAId", "userBId" FROM "Friendship"
    WHERE "userAId" IN ($ids) OR "userBId" IN ($ids)`,
  ignoresBy: `SELECT "userId", "ignoredId" FROM "Ignore" WHERE "userId" IN ($ids)`,
  ignoresOf: `SELECT "userId", "ignoredId" FROM "Ignore" WHERE "ignoredId" IN ($ids)`,
  unliftedSanctions: `SELECT "userId", "expiresAt" FROM "Sanction"
    WHERE "kind" = $value AND "liftedAt" IS NULL`,
  liveNotices: `SELECT n."id", n."text", n."severity", n."scopeKind", n."serverSlug", n."channel",
      n."kind", n."startsAt", n."expiresAt", n."createdAt", n."authorId", u."username" AS "authorName"
    FROM "Notice" n JOIN "User" u ON u."id" = n."authorId"
    WHERE n."deletedAt" IS NULL AND (n."expiresAt" IS NULL OR n."expiresAt" > $value)
    ORDER BY n."startsAt" ASC`,
};

export interface SessionUserRow {
  sessionId: string;
  expiresAt: Date | null;
  revokedAt: Date | null;
  id: string;
  username: string;
  role: string;
  appearOffline: boolean;
}
export type ProfileRow = { id: string; username: string; appearOffline: boolean };
export type PairRow = { userAId: string; userBId: string };
export type IgnoreRow = { userId: string; ignoredId: string };
export type SanctionIdRow = { userId: string; expiresAt: Date | null };
export interface LiveNoticeRow {
  id: string;
  text: string;
  severity: string;
  scopeKind: string;
  serverSlug: string | null;
  channel: number | null;
  kind: string;
  startsAt: Date;
  expiresAt: Date | null;
  createdAt: Date;
  authorId: string;
  authorName: string;
}

/**
 * The reads that run on every connect, join and login: sessions, profiles, friend and ignore
 * lists, the ids under a sanction. They go straight to the driver with statements prepared once,
 * beside Prisma (which keeps every write and every other read): even a raw query through
 * Prisma's client cost about 0.25 ms of CPU (measured), most of what a connect spent on the
 * database. Rows come back in one shape from both databases.
 */
export interface HotReads {
  sessionUsers(ids: string[]): Promise<SessionUserRow[]>;
  profiles(ids: string[]): Promise<ProfileRow[]>;
  friendships(ids: string[]): Promise<PairRow[]>;
  ignoresBy(ids: string[]): Promise<IgnoreRow[]>;
  ignoresOf(ids: string[]): Promise<IgnoreRow[]>;
  unliftedSanctions(kind: string): Promise<SanctionIdRow[]>;
  /** Notices not deleted and not expired at `now` (started or not), oldest start first. */
  liveNotices(now: Date): Promise<LiveNoticeRow[]>;
  close(): Promise<void>;
}

type Runner = (read: Read, arg: string[] | string) => Promise<Record<string, unknown>[]>;

const DATE_COLUMNS = ["expiresAt", "revokedAt", "startsAt", "createdAt"];

/**
 * An instant as the Prisma SQLite adapter stores DateTime (ISO text with `+00:00`), so that text
 * comparison in SQL orders it rightly against stored values; PostgreSQL parses it as well.
 */
const storedInstant = (at: Date) => at.toISOString().replace("Z", "+00:00");

function hotReadsOver(run: Runner, close: () => Promise<void>): HotReads {
  const normalized = (row: Record<string, unknown>) => {
    if ("appearOffline" in row) row.appearOffline = Boolean(row.appearOffline);
    for (const column of DATE_COLUMNS)
      if (column in row) row[column] = asDate(row[column] as Date | string | null);
    return row;
  };
  const read =
    <T>(name: Read) =>
    async (arg: string[] | string): Promise<T[]> => {
      if (Array.isArray(arg) && arg.length === 0) return [];
      return (await run(name, arg)).map(normalized) as T[];
    };
  return {
    sessionUsers: read("sessionUsers"),
    profiles: read("profiles"),
    friendships: read("friendships"),
    ignoresBy: read("ignoresBy"),
    ignoresOf: read("ignoresOf"),
    unliftedSanctions: read("unliftedSanctions"),
    liveNotices: (now: Date) => read<LiveNoticeRow>("liveNotices")(storedInstant(now)),
    close,
  };
}

interface SqliteStatement {
  all(...params: unknown[]): Record<string, unknown>[];
}
interface SqliteDatabase {
  prepare(sql: string): SqliteStatement;
  pragma(sql: string): unknown;
  close(): void;
}

/**
 * A second, read-only connection to the same file (WAL lets it read beside the writer). Its own
 * busy timeout covers the moment a checkpoint holds the file. better-sqlite3 is what Prisma's
 * adapter already loads.
 */
function sqliteReads(databaseUrl: string, busyTimeoutMs: number): HotReads {
  const adapterRequire = createRequire(
    createRequire(import.meta.url).resolve("@prisma/adapter-better-sqlite3"),
  );
  const Database = adapterRequire("better-sqlite3") as new (
    file: string,
    options: { fileMustExist: boolean; timeout: number },
  ) => SqliteDatabase;
  // Not opened read-only: a read-only handle cannot always set up WAL's shared memory.
  const connection = new Database(databaseFile(databaseUrl), { fileMustExist: true, timeout: busyTimeoutMs });
  const statements = new Map<Read, SqliteStatement>();
  const statement = (name: Read) => {
    let prepared = statements.get(name);
    if (!prepared) {
      const sql = SQL[name]
        .replaceAll("$ids", "SELECT value FROM json_each(@ids)")
        .replaceAll("$value", "@value");
      prepared = connection.prepare(sql);
      statements.set(name, prepared);
    }
    return prepared;
  };
  return hotReadsOver(
    async (name, arg) =>
      statement(name).all(Array.isArray(arg) ? { ids: JSON.stringify(arg) } : { value: arg }),
    async () => connection.close(),
  );
}

/**
 * Prisma keeps DateTime in `timestamp without time zone` columns, in UTC; node-postgres would read
 * them as local time, wrong on any host whose zone is not UTC.
 */
const TIMESTAMP_OID = 1114;
const utcTimestamps = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === TIMESTAMP_OID && format !== "binary"
      ? (text: string) => new Date(`${text.replace(" ", "T")}Z`)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** A small pool of its own; `ANY($1)` binds the whole batch as one array. */
function postgresReads(databaseUrl: string): HotReads {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: 4,
    allowExitOnIdle: true,
    types: utcTimestamps,
  });
  pool.on("error", () => {});
  const texts = new Map<Read, string>();
  const text = (name: Read) => {
    let sql = texts.get(name);
    if (!sql) {
      sql = SQL[name].replaceAll("IN ($ids)", "= ANY($1::text[])").replaceAll("$value", "$1");
      texts.set(name, sql);
    }
    return sql;
  };
  return hotReadsOver(
    async (name, arg) => (await pool.query({ name: `hot-${name}`, text: text(name), values: [arg] })).rows,
    () => pool.end(),
  );
}

const opened = new WeakMap<Db, HotReads>();

/** The hot reads beside this Prisma client, on the same database (opened at first use). */
export function hotReads(db: Db): HotReads {
  let reads = opened.get(db);
  if (!reads) {
    const { url, busyTimeoutMs } = databaseUrlOf(db);
    reads = databaseKind(url) === "sqlite" ? sqliteReads(url, busyTimeoutMs) : postgresReads(url);
    opened.set(db, reads);
  }
  return reads;
}

export async function closeHotReads(db: Db): Promise<void> {
  const reads = opened.get(db);
  opened.delete(db);
  await reads?.close();
}
