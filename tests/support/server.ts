import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import type { LoginReply } from "@rally/protocol";
import { inject } from "vitest";
import { buildApp } from "../../apps/server/src/app.js";
import { type AppConfig, DEFAULT_LIMITS, DEFAULT_SOCKET_LIMITS } from "../../apps/server/src/config.js";
import { createDatabase } from "./databases.js";

export interface TestServer {
  app: FastifyInstance;
  url: string;
  config: AppConfig;
  dbFile: string;
  /** Registers a user (the password defaults to one that passes the rules) and returns its login. */
  register(username: string, password?: string): Promise<LoginReply>;
  login(username: string, password?: string): Promise<LoginReply>;
  /** A registered admin's login. */
  admin(username?: string): Promise<LoginReply>;
  http(
    method: string,
    url: string,
    options?: { token?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<{ status: number; body: any; headers: Headers }>;
  close(): Promise<void>;
}

export const PASSWORD = "correct-horse-battery";

export function freshDbFile(): string {
  // Beside the run's template, so the global teardown removes them with it.
  const dir = fs.mkdtempSync(path.join(path.dirname(inject("templateDb")), "test-"));
  const file = path.join(dir, "test.db");
  fs.copyFileSync(inject("templateDb"), file);
  return file;
}

/**
 * Test files register dozens of players from 127.0.0.1, often in parallel bursts that the
 * password-check line would refuse; the hardening tests lower these on purpose.
 */
export const TEST_LIMITS: AppConfig["limits"] = {
  ...DEFAULT_LIMITS,
  registerPerHour: 10_000,
  loginPerIpPerMinute: 10_000,
  hashQueue: 10_000,
  hashMaxWaitMs: 600_000,
  shutdownDrainMs: 0,
};

export function testConfig(dbFile: string, overrides: Partial<AppConfig> = {}): AppConfig {
  return {
    host: "127.0.0.1",
    port: 0,
    databaseUrl: `file:${dbFile}`,
    redisUrl: null,
    redisPrefix: "rally:",
    sessionSecret: crypto.randomBytes(32).toString("hex"),
    logLevel: process.env.TEST_LOG_LEVEL ?? "silent",
    allowedOrigins: null,
    tokenTtlSeconds: 3600,
    loginRateLimit: { max: 1000, windowMs: 60_000 },
    seatGraceMs: 1_000,
    connectionRecovery: true,
    presenceGraceMs: 300,
    inviteTimeoutMs: 1_000,
    friendLimits: { maxPending: 50, perHour: 30 },
    socketLimits: DEFAULT_SOCKET_LIMITS,
    clientDir: null,
    chatFilterWords: [],
    bootstrapAdmin: null,
    limits: TEST_LIMITS,
    trustProxy: false,
    metrics: { token: null, host: null, port: null },
    ...overrides,
  };
}

/**
 * With TEST_DB=postgres (the PostgreSQL test project) each database file name stands for a
 * PostgreSQL database copied from the run's migrated template, so a restart on the same "file"
 * finds the same data. The project's global setup drops them all at the end.
 */
const postgresFor = new Map<string, Promise<string>>();
function postgresDatabase(dbFile: string): Promise<string> {
  let url = postgresFor.get(dbFile);
  if (!url) {
    const run = inject("pgRun");
    url = createDatabase(`rally_tpl_${run}`, run);
    postgresFor.set(dbFile, url);
  }
  return url;
}

/** A real server on an ephemeral port with its own database file (or PostgreSQL database). */
export async function startServer(
  overrides: Partial<AppConfig> = {},
  dbFile = freshDbFile(),
): Promise<TestServer> {
  const config = testConfig(dbFile, overrides);
  if (process.env.TEST_DB === "postgres" && !overrides.databaseUrl) {
    config.databaseUrl = await postgresDatabase(dbFile);
  }
  const app = await buildApp(config);
  await app.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.address();
  if (!address || typeof address === "string") throw new Error("no address");
  const url = `http://127.0.0.1:${address.port}`;

  const http: TestServer["http"] = async (method, route, options = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers["content-type"] = "application/json";
    const response = await fetch(url + route, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {}
    return { status: response.status, body, headers: response.headers };
  };

  const login = async (username: string, password = PASSWORD) => {
    const res = await http("POST", "/api/auth/login", { body: { username, password } });
    if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as LoginReply;
  };
  const register = async (username: string, password = PASSWORD) => {
    const res = await http("POST", "/api/auth/register", { body: { username, password } });
    if (res.status !== 201)
      throw new Error(`register ${username}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as LoginReply;
  };
  let closed = false;
  return {
    app,
    url,
    config,
    dbFile,
    register,
    login,
    http,
    async admin(username = "admin") {
      const reg = await register(username);
      const { AccountStore } = await import("../../apps/server/src/auth/store.js");
      const { createDb } = await import("../../apps/server/src/db.js");
      const db = createDb(config.databaseUrl);
      await new AccountStore(db).setRole(reg.user.id, "admin");
      await db.$disconnect();
      return { ...reg, user: { ...reg.user, role: "admin" } };
    },
    async close() {
      if (closed) return;
      closed = true;
      await app.close();
    },
  };
}
