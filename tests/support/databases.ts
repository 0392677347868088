import crypto from "node:crypto";
import pg from "pg";

/** Where the multi-node tests find their services: the variables, else the local defaults. */
export const REDIS_URL = process.env.REDIS_URL || "redis://127.0.0.1:6379";
export const PG_URL = process.env.TEST_DATABASE_URL || "postgresql://postgres@127.0.0.1:5432/postgres";

function databaseUrl(name: string): string {
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A fresh, empty database `rally_test_<random>` (or a copy of `template`); returns its URL. */
export async function createDatabase(template?: string, run?: string): Promise<string> {
  const name = `rally_test_${run ? `${run}_` : ""}${crypto.randomBytes(6).toString("hex")}`;
  await admin((client) => client.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ""}`));
  return databaseUrl(name);
}

export async function dropDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  if (!/^rally_(test|tpl)_[0-9a-f_]+$/.test(name)) throw new Error(`refusing to drop ${name}`);
  await admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}
