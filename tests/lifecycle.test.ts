import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../apps/server/src/config.js";
import { closeAll, connect, waitFor } from "./support/client.js";
import { PASSWORD } from "./support/server.js";

const MAIN = path.resolve("apps/server/src/main.ts");
const ADMIN_CLI = path.resolve("apps/server/src/cli/admin.ts");
const children: ChildProcess[] = [];

afterEach(() => {
  closeAll();
  for (const child of children.splice(0)) child.kill("SIGKILL");
});

function tempDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "rally-life-"));
}

function env(dataDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATA_DIR: dataDir,
    PORT: "0",
    HOST: "127.0.0.1",
    LOG_LEVEL: "info",
    CLIENT_DIR: "",
    ...extra,
  };
}

/** Starts the real entry point and resolves with its URL once it listens. */
function startMain(
  dataDir: string,
  extra: Record<string, string> = {},
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", MAIN], {
    env: env(dataDir, extra),
    stdio: "pipe",
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 45_000);
    child.stdout!.on("data", (chunk) => {
      output += chunk;
      const match = /listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1]! });
      }
    });
    child.stderr!.on("data", (chunk) => {
      output += chunk;
    });
    child.on("exit", (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once("exit", (code) => resolve(code)));
}

async function post(url: string, body: unknown, token?: string) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json().catch(() => null) };
}

describe("entry point", { timeout: 90_000 }, () => {
  it("keeps accounts and sessions across a restart, with a generated secret kept on disk", async () => {
    const dataDir = tempDataDir();
    const first = await startMain(dataDir);
    const registered = await post(`${first.url}/api/auth/register`, {
      username: "survivor",
      password: PASSWORD,
    });
    expect(registered.status).toBe(201);
    first.child.kill("SIGTERM");
    expect(await exited(first.child)).toBe(0);
    expect(fs.existsSync(path.join(dataDir, "session-secret"))).toBe(true);

    const second = await startMain(dataDir);
    const me = await fetch(`${second.url}/api/me`, {
      headers: { authorization: `Bearer ${registered.body.token}` },
    });
    expect(me.status).toBe(200);
    expect((await me.json()).name).toBe("survivor");
    expect(
      (await post(`${second.url}/api/auth/login`, { username: "survivor", password: PASSWORD })).status,
    ).toBe(200);
  });

  it("shuts down gracefully on SIGTERM: transports close (clients retry), exit code 0", async () => {
    const dataDir = tempDataDir();
    const { child, url } = await startMain(dataDir);
    const { body } = await post(`${url}/api/auth/register`, { username: "stayer", password: PASSWORD });
    const socket = await connect(url, body.token);
    const disconnected = waitFor(socket, "disconnect", 10_000);
    child.kill("SIGTERM");
    expect(await disconnected).toBe("transport close");
    expect(await exited(child)).toBe(0);
  });

  it.each([
    [{ PORT: "abc" }, "PORT"],
    [{ PORT: "70000" }, "PORT"],
    [{ LOG_LEVEL: "loud" }, "LOG_LEVEL"],
    [{ ALLOWED_ORIGINS: "not a url" }, "ALLOWED_ORIGINS"],
    [{ SESSION_SECRET: "short" }, "SESSION_SECRET"],
    [{ DATABASE_URL: "mysql://x" }, "DATABASE_URL"],
  ])("refuses %j with one line naming %s and exit 1", (extra, name) => {
    const result = spawnSync(process.execPath, ["--import", "tsx", MAIN], {
      env: env(tempDataDir(), extra),
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(result.status).toBe(1);
    const lines = result.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(name);
  });
});

describe("configuration", () => {
  it("generates the session secret once and reuses it", () => {
    const dataDir = tempDataDir();
    const a = loadConfig({ DATA_DIR: dataDir });
    const b = loadConfig({ DATA_DIR: dataDir });
    expect(a.sessionSecret.length).toBeGreaterThanOrEqual(32);
    expect(b.sessionSecret).toBe(a.sessionSecret);
    expect(fs.statSync(path.join(dataDir, "session-secret")).mode & 0o777).toBe(0o600);
    expect(a.port).toBe(3000);
    expect(a.allowedOrigins).toBeNull();
  });
});

describe("admin command", { timeout: 90_000 }, () => {
  it("creates an admin who can sign in, and promotes an existing player", async () => {
    const dataDir = tempDataDir();
    const run = (args: string[], extra: Record<string, string> = {}) =>
      spawnSync(process.execPath, ["--import", "tsx", ADMIN_CLI, ...args], {
        env: env(dataDir, extra),
        encoding: "utf8",
        timeout: 30_000,
      });
    const created = run(["create", "boss"], { ADMIN_PASSWORD: PASSWORD });
    expect(created.status, created.stderr).toBe(0);
    expect(created.stdout).toContain("admin created");
    expect(run(["create", "x"], { ADMIN_PASSWORD: "short" }).status).toBe(1);
    expect(run(["frobnicate"]).status).toBe(2);

    const { child, url } = await startMain(dataDir);
    const login = await post(`${url}/api/auth/login`, { username: "boss", password: PASSWORD });
    expect(login.body.user.role).toBe("admin");
    const player = await post(`${url}/api/auth/register`, { username: "climber", password: PASSWORD });
    expect(player.body.user.role).toBe("player");
    child.kill("SIGTERM");
    await exited(child);

    expect(run(["promote", "climber"]).status).toBe(0);
    const again = await startMain(dataDir);
    const me = await fetch(`${again.url}/api/me`, {
      headers: { authorization: `Bearer ${player.body.token}` },
    });
    expect((await me.json()).role).toBe("admin");
  });

  it("creates the admin from ADMIN_USERNAME and ADMIN_PASSWORD at start", async () => {
    const { url } = await startMain(tempDataDir(), { ADMIN_USERNAME: "envboss", ADMIN_PASSWORD: PASSWORD });
    const login = await post(`${url}/api/auth/login`, { username: "envboss", password: PASSWORD });
    expect(login.body.user.role).toBe("admin");
  });
});
