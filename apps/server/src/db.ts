import { spawn } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "@prisma/client";

export type Db = PrismaClient;

/** Prisma's error for a unique constraint: the row another request just created. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: string }).code === "P2002";
}

export function createDb(databaseUrl: string): Db {
  return new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: databaseUrl }) });
}

const ROOT = path.resolve(import.meta.dirname, "../../..");

/** Applies the committed migrations with Prisma's own `migrate deploy`. */
export function migrate(databaseUrl: string): Promise<void> {
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
