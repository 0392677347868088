import { type ChildProcess, spawn } from "node:child_process";
import crypto from "node:crypto";
import path from "node:path";
import readline from "node:readline";
import type { LoginReply } from "@rally/protocol";
import { Redis } from "ioredis";
import { createDatabase, dropDatabase, REDIS_URL } from "./databases.js";

const PASSWORD = "correct-horse-battery";

const ROOT = path.resolve(import.meta.dirname, "../..");

export interface ClusterNode {
  index: number;
  url: string;
  process: ChildProcess;
  /** Resolves when the process has exited. */
  exited: Promise<void>;
  register(username: string, password?: string): Promise<LoginReply>;
  http(
    method: string,
    route: string,
    options?: { token?: string; body?: unknown },
  ): Promise<{ status: number; body: any }>;
}

export interface TestCluster {
  nodes: ClusterNode[];
  databaseUrl: string;
  redisUrl: string;
  prefix: string;
  env: Record<string, string>;
  /** Starts one more node on the same Redis and database (also used to restart a killed one). */
  startNode(): Promise<ClusterNode>;
  close(): Promise<void>;
}

export interface ClusterOptions {
  nodes?: number;
  redisUrl?: string;
  env?: Record<string, string>;
}

async function httpTo(
  url: string,
  method: string,
  route: string,
  options: { token?: string; body?: unknown } = {},
) {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(url + route, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

/** Starts `main.ts` as a child process and resolves with its URL once it listens. */
function spawnNode(index: number, env: Record<string, string>): Promise<ClusterNode> {
  const child = spawn(process.execPath, ["--import", "tsx", "apps/server/src/main.ts"], {
    cwd: ROOT,
    env: { ...process.env, ...env, HOST: "127.0.0.1", PORT: "0", LOG_LEVEL: "info", CLIENT_DIR: "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let stderr = "";
  child.stderr!.on("data", (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`node ${index} did not start in time: ${stderr}`)),
      60_000,
    );
    const lines = readline.createInterface({ input: child.stdout! });
    lines.on("line", (line) => {
      const url = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(line)?.[1];
      if (!url) return;
      clearTimeout(timer);
      resolve({
        index,
        url,
        process: child,
        exited,
        register: async (username, password = PASSWORD) => {
          const res = await httpTo(url, "POST", "/api/auth/register", { body: { username, password } });
          if (res.status !== 201)
            throw new Error(`register ${username}: ${res.status} ${JSON.stringify(res.body)}`);
          return res.body as LoginReply;
        },
        http: (method, route, options) => httpTo(url, method, route, options),
      });
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`node ${index} exited before listening: ${stderr}`));
    });
  });
}

/**
 * Several real server processes sharing one Redis key prefix and one fresh PostgreSQL database,
 * started at the same moment (so they also race for the migrations).
 */
export async function startCluster(options: ClusterOptions = {}): Promise<TestCluster> {
  const databaseUrl = await createDatabase();
  const redisUrl = options.redisUrl ?? REDIS_URL;
  const prefix = `rally-test:${crypto.randomBytes(6).toString("hex")}:`;
  const env = {
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    REDIS_PREFIX: prefix,
    SESSION_SECRET: crypto.randomBytes(32).toString("hex"),
    SEAT_GRACE_MS: "8000",
    PRESENCE_GRACE_MS: "8000",
    INVITE_TIMEOUT_MS: "4000",
    LOGIN_RATE_LIMIT: "1000",
    LOGIN_IP_RATE_LIMIT: "100000",
    REGISTER_RATE_LIMIT: "100000",
    // Tests register players in bursts on a busy machine: let the password hashes queue.
    HASH_QUEUE_LIMIT: "10000",
    HASH_MAX_WAIT_MS: "600000",
    ...options.env,
  };
  const nodes: ClusterNode[] = [];
  let started = 0;
  const startNode = async () => {
    const node = await spawnNode(started++, env);
    nodes.push(node);
    return node;
  };
  try {
    await Promise.all(Array.from({ length: options.nodes ?? 3 }, () => startNode()));
  } catch (error) {
    for (const node of nodes) node.process.kill("SIGKILL");
    await dropDatabase(databaseUrl);
    throw error;
  }
  nodes.sort((a, b) => a.index - b.index);
  return {
    nodes,
    databaseUrl,
    redisUrl,
    prefix,
    env,
    startNode,
    async close() {
      for (const node of nodes) node.process.kill("SIGTERM");
      await Promise.all(
        nodes.map((node) =>
          Promise.race([node.exited, new Promise((r) => setTimeout(r, 12_000))]).then(() =>
            node.process.kill("SIGKILL"),
          ),
        ),
      );
      await dropDatabase(databaseUrl);
      const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
      redis.on("error", () => {});
      try {
        for await (const keys of redis.scanStream({ match: `${prefix}*`, count: 500 })) {
          if ((keys as string[]).length) await redis.unlink(...(keys as string[]));
        }
      } catch {
        // A private Redis that is already gone has nothing left to clean.
      } finally {
        redis.disconnect();
      }
    },
  };
}
