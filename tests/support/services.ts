import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Redis } from "ioredis";
import pg from "pg";
import { afterAll, describe } from "vitest";

import { PG_URL, REDIS_URL } from "./databases.js";

export { createDatabase, dropDatabase, PG_URL, REDIS_URL } from "./databases.js";

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
