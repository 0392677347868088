import { spawn } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";
import { databaseKind } from "./config.js";
import { migratePostgres } from "./pg-migrate.js";

export type Db = PrismaClient;

/** Prisma's error for a unique constraint: the row another request just created. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: string }).code === "P2002";
}

const ROOT = path.resolve(import.meta.dirname, "../../..");
/** Generated from prisma/postgres/schema.prisma: a Prisma client is built for one provider. */
const POSTGRES_CLIENT = path.join(ROOT, "node_modules/.prisma/postgres-client");

export function createDb(databaseUrl: string): Db {
  if (databaseKind(databaseUrl) === "sqlite") {
    return new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: databaseUrl }) });
  }
  // The PostgreSQL client has the same models and API; only its generated types are a separate copy.
  const generated = createRequire(import.meta.url)(POSTGRES_CLIENT) as { PrismaClient: typeof PrismaClient };
  return new generated.PrismaClient({
    adapter: new PrismaPg({ connectionString: databaseUrl, connectionTimeoutMillis: 5_000 }),
  });
}

/** Applies the committed migrations: SQLite with Prisma's `migrate deploy`, PostgreSQL with ours. */
export async function migrate(databaseUrl: string): Promise<void> {
  if (databaseKind(databaseUrl) === "postgres") {
    await migratePostgres(databaseUrl, path.join(ROOT, "prisma/postgres/migrations"));
    return;
  }
  await migrateSqlite(databaseUrl);
}

function migrateSqlite(databaseUrl: string): Promise<void> {
  // SQLite creates the file but not its folder.
  fs.mkdirSync(path.dirname(path.resolve(ROOT, databaseUrl.replace(/^file:/, ""))), { recursive: true });
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
