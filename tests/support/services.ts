import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Redis } from "ioredis";
import pg from "pg";
import { afterAll, describe } from "vitest";

/** Where the multi-node tests find their services: the variables, else the local defaults. */
export const REDIS_URL = process.env.REDIS_URL || "redis://127.0.0.1:6379";
export const PG_URL = process.env.TEST_DATABASE_URL || "postgresql://postgres@127.0.0.1:5432/postgres";

/** Services reached over the network, and programs a test starts itself. */
export type Service = "redis" | "postgres" | "redis-server" | "haproxy";

export function haveCommand(command: string): boolean {
  const dirs = [...(process.env.PATH ?? "").split(path.delimiter), "/usr/sbin", "/usr/local/sbin"];
  return dirs.some((dir) => dir && fs.existsSync(path.join(dir, command)));
}

async function reachable(service: Service): Promise<string | null> {
  if (service === "redis-server" || service === "haproxy") {
    return haveCommand(service)
      ? null
      : `${service} is not installed (apt-get install ${service === "haproxy" ? "haproxy" : "redis-server"})`;
  }
  try {
    if (service === "redis") {
      const redis = new Redis(REDIS_URL, {
        lazyConnect: true,
        connectTimeout: 2_000,
        maxRetriesPerRequest: 0,
      });
      redis.on("error", () => {});
      try {
        await redis.connect();
        await redis.ping();
      } finally {
        redis.disconnect();
      }
    } else {
      const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2_000 });
      await client.connect();
      await client.end();
    }
    return null;
  } catch (error) {
    const where = service === "redis" ? REDIS_URL : PG_URL;
    return `${service} is not reachable at ${where} (${(error as Error).message})`;
  }
}

/**
 * A suite that needs Redis and/or PostgreSQL. Without them it does not pass quietly: it says which
 * suite did not run and why, and in CI (CI=true, set by .ci/run) it fails.
 */
export async function describeWithServices(
  name: string,
  services: Service[],
  body: () => void,
): Promise<void> {
  const missing = (await Promise.all(services.map(reachable))).filter((m): m is string => m !== null);
  if (missing.length === 0) {
    describe(name, body);
    return;
  }
  const reason = `NOT RUN: "${name}": ${missing.join("; ")}`;
  if (process.env.CI) throw new Error(`${reason} (CI must provide these services)`);
  process.stderr.write(`\n${reason}\n`);
  describe.skip(`${name} [not run: ${missing.join("; ")}]`, body);
}

/** A key prefix of its own, so parallel test files never share Redis keys; flushed afterwards. */
export function redisPrefix(): string {
  const prefix = `rally-test:${crypto.randomBytes(6).toString("hex")}:`;
  afterAll(async () => {
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    redis.on("error", () => {});
    try {
      const stream = redis.scanStream({ match: `${prefix}*`, count: 500 });
      for await (const keys of stream)
        if ((keys as string[]).length) await redis.unlink(...(keys as string[]));
    } finally {
      redis.disconnect();
    }
  });
  return prefix;
}

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
