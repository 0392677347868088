import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { migrate } from "../../apps/server/src/db.js";
import { PG_URL } from "./services.js";

/**
 * For the PostgreSQL project: one migrated template database per run; every test server gets a
 * copy of it (CREATE DATABASE … TEMPLATE is fast). Everything this run created is dropped at the end.
 */
export default async function setup({
  provide,
}: {
  provide: (key: "pgRun" | "templateDb", value: string) => void;
}) {
  const run = crypto.randomBytes(4).toString("hex");
  // Database "files" still name each test server's database (see startServer).
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rally-template-"));
  await migrate(`file:${path.join(dir, "template.db")}`);
  provide("templateDb", path.join(dir, "template.db"));
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    try {
      return await client.query(sql);
    } finally {
      await client.end();
    }
  };
  const template = `rally_tpl_${run}`;
  await admin(`CREATE DATABASE ${template}`);
  const url = new URL(PG_URL);
  url.pathname = `/${template}`;
  await migrate(url.toString());
  provide("pgRun", run);
  return async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    const { rows } = await admin(
      `SELECT datname FROM pg_database WHERE datname LIKE 'rally_test_${run}_%' OR datname = '${template}'`,
    );
    for (const { datname } of rows) await admin(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    pgRun: string;
  }
}
