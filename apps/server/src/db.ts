import { spawn } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { type Prisma, PrismaClient } from "@prisma/client";
import { databaseKind } from "./config.js";
import { migratePostgres } from "./pg-migrate.js";

export type Db = PrismaClient;
export type Tx = Prisma.TransactionClient;

/** Prisma's error for a unique constraint: the row another request just created. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: string }).code === "P2002";
}

/** Which database each client talks to, for the few statements that differ. */
const kinds = new WeakMap<Db, "sqlite" | "postgres">();

/**
 * Runs a quota check and its write atomically for `key` (say, the sender), given that callers
 * already queue per key within this process. On PostgreSQL, which several nodes share, it is one
 * transaction under an advisory lock, so nodes queue up instead of both passing the same count.
 * SQLite serves a single node: the in-process queue is enough there, and an open interactive
 * transaction would hold its one connection (and every other player's query) meanwhile.
 */
export function lockedTransaction<T>(db: Db, key: string, work: (tx: Tx) => Promise<T>): Promise<T> {
  if (kinds.get(db) !== "postgres") return work(db);
  return db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtext(${key}))::text AS locked`;
    return work(tx);
  });
}

const ROOT = path.resolve(import.meta.dirname, "../../..");
/** Generated from prisma/postgres/schema.prisma: a Prisma client is built for one provider. */
const POSTGRES_CLIENT = path.join(ROOT, "node_modules/.prisma/postgres-client");

/** `busyTimeoutMs` (SQLite): how long a write waits for another connection's lock before failing. */
export function createDb(databaseUrl: string, busyTimeoutMs = 5_000): Db {
  if (databaseKind(databaseUrl) === "sqlite") {
    const db = new PrismaClient({
      adapter: new PrismaBetterSQLite3({ url: databaseUrl, timeout: busyTimeoutMs }),
    });
    kinds.set(db, "sqlite");
    urls.set(db, { url: databaseUrl, busyTimeoutMs });
    return db;
  }
  // The PostgreSQL client has the same models and API; only its generated types are a separate copy.
  const generated = createRequire(import.meta.url)(POSTGRES_CLIENT) as {
    PrismaClient: typeof PrismaClient;
  };
  const db = new generated.PrismaClient({
    adapter: new PrismaPg({ connectionString: databaseUrl, connectionTimeoutMillis: 5_000 }),
  });
  kinds.set(db, "postgres");
  urls.set(db, { url: databaseUrl, busyTimeoutMs });
  return db;
}

const urls = new WeakMap<Db, { url: string; busyTimeoutMs: number }>();

/** The database a client was created for (an extended client names its original with `alias`). */
export function databaseUrlOf(db: Db): { url: string; busyTimeoutMs: number } {
  const known = urls.get(db);
  if (!known) throw new Error("This Prisma client was not made by createDb");
  return known;
}

/** `$extends` returns a new client: it keeps the original's database and kind. */
export function aliasDb(original: Db, extended: Db): Db {
  urls.set(extended, databaseUrlOf(original));
  const kind = kinds.get(original);
  if (kind) kinds.set(extended, kind);
  return extended;
}

/**
 * WAL lets readers go on while one connection writes (rollback-journal mode blocks them), and
 * NORMAL sync is WAL's recommended durability/speed trade-off. journal_mode is stored in the file.
 */
export async function tuneSqlite(db: Db): Promise<void> {
  await db.$queryRawUnsafe("PRAGMA journal_mode = WAL");
  await db.$executeRawUnsafe("PRAGMA synchronous = NORMAL");
}

/** Applies the committed migrations: SQLite with Prisma's `migrate deploy`, PostgreSQL with ours. */
export async function migrate(databaseUrl: string): Promise<void> {
  if (databaseKind(databaseUrl) === "postgres") {
    await migratePostgres(databaseUrl, path.join(ROOT, "prisma/postgres/migrations"));
    return;
  }
  await migrateSqlite(databaseUrl);
}

export function databaseFile(databaseUrl: string): string {
  return path.resolve(ROOT, databaseUrl.replace(/^file:/, ""));
}

/**
 * The database holds password hashes and session ids: its folder is created 0700 and the file
 * (with its WAL and shared-memory companions) is kept 0600, also when an older install made it
 * world-readable. SQLite gives the companions the main file's mode.
 */
export function makeDatabasePrivate(databaseUrl: string): void {
  const file = databaseFile(databaseUrl);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.closeSync(fs.openSync(file, "a", 0o600));
  for (const companion of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) {
    try {
      fs.chmodSync(companion, 0o600);
    } catch {}
  }
}

function migrateSqlite(databaseUrl: string): Promise<void> {
  // SQLite creates the file but not its folder; both are created private.
  makeDatabasePrivate(databaseUrl);
  const prismaCli = createRequire(import.meta.url).resolve("prisma/build/index.js");
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [prismaCli, "migrate", "deploy"], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: databaseUrl },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
    });
    child.stderr.on("data", (chunk) => {
      output += chunk;
    });
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code === 0) resolve();
      else reject(new Error(`prisma migrate deploy failed (exit ${code}):\n${output}`));
    });
  });
}
