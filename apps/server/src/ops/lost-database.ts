import fs from "node:fs";
import { aliasDb, type Db, databaseFile } from "../db.js";

/** Thrown for a write while the database file is gone: answers 503 `unavailable`. */
export class DatabaseLostError extends Error {
  readonly code = "SQLITE_CANTOPEN";
  constructor() {
    super("unable to open database file: it was deleted or replaced while the server ran");
  }
}

const READS = new Set(["findUnique", "findUniqueOrThrow", "findFirst", "findFirstOrThrow", "findMany"]);
const READ_AGGREGATES = new Set(["count", "aggregate", "groupBy", "$queryRaw", "$queryRawUnsafe"]);

export function fileIdentity(file: string): string | null {
  try {
    const stat = fs.statSync(file);
    return `${stat.dev}:${stat.ino}`;
  } catch {
    return null;
  }
}

/**
 * In WAL mode, SQLite keeps writing to a database file that was deleted under it: every write
 * "succeeds" into a file nobody will ever open again. Each write first checks (one stat) that
 * the file is still the one opened at start, and otherwise fails with `unavailable`.
 */
export function refuseWritesToLostFile(db: Db, databaseUrl: string): Db {
  const file = databaseFile(databaseUrl);
  const identity = fileIdentity(file);
  if (identity === null) return db;
  const extended = db.$extends({
    query: {
      async $allOperations({ operation, args, query }) {
        if (!READS.has(operation) && !READ_AGGREGATES.has(operation) && fileIdentity(file) !== identity) {
          throw new DatabaseLostError();
        }
        return query(args);
      },
    },
  }) as unknown as Db;
  return aliasDb(db, extended);
}
