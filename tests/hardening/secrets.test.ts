import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { io } from "socket.io-client";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../apps/server/src/config.js";
import { makeDatabasePrivate, migrate } from "../../apps/server/src/db.js";
import { PASSWORD, startServer, type TestServer } from "../support/server.js";

// Finding 14: the database is private, a short secret file is refused, /metrics is not public,
// and no token reaches the logs.
const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const mode = (file: string) => fs.statSync(file).mode & 0o777;
const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), "rally-secrets-"));

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

describe("secrets (finding 14)", { timeout: 60_000 }, () => {
  it("creates the database folder 0700 and the database, its WAL and old files 0600", async () => {
    const dataDir = path.join(tempDir(), "data");
    const dbFile = path.join(dataDir, "rally.db");
    await migrate(`file:${dbFile}`);
    expect(mode(dataDir)).toBe(0o700);
    expect(mode(dbFile)).toBe(0o600);
    const server = await startServer({}, dbFile);
    servers.push(server);
    await server.register("private_one");
    expect(mode(`${dbFile}-wal`)).toBe(0o600);
    // An install from before this fix had a world-readable file: the next start (migrate runs
    // this first) tightens it.
    fs.chmodSync(dbFile, 0o644);
    makeDatabasePrivate(`file:${dbFile}`);
    expect(mode(dbFile)).toBe(0o600);
  });

  it("refuses a data/session-secret file shorter than 32 characters", () => {
    const dataDir = tempDir();
    fs.writeFileSync(path.join(dataDir, "session-secret"), "abc");
    expect(() => loadConfig({ DATA_DIR: dataDir })).toThrow(ConfigError);
    expect(() => loadConfig({ DATA_DIR: dataDir })).toThrow(/session-secret must hold at least 32/);
  });

  it("hides /metrics without a configured token, and wants that token when there is one", async () => {
    const open = await startServer();
    servers.push(open);
    expect((await open.http("GET", "/metrics")).status).toBe(404);
    const guarded = await startServer({ metrics: { token: "a-long-metrics-token", host: null, port: null } });
    servers.push(guarded);
    expect((await guarded.http("GET", "/metrics")).status).toBe(404);
    expect((await guarded.http("GET", "/metrics", { token: "a-long-metrics-tokeN" })).status).toBe(404);
    const ok = await guarded.http("GET", "/metrics", { token: "a-long-metrics-token" });
    expect(ok.status).toBe(200);
    expect(ok.body).toContain("rally_connected_sockets");
  });

  it("serves /metrics on its own address when METRICS_PORT is set, and not on the main port", async () => {
    const port = await freePort();
    const server = await startServer({ metrics: { token: null, host: "127.0.0.1", port } });
    servers.push(server);
    expect((await server.http("GET", "/metrics")).status).toBe(404);
    const res = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("rally_connected_sockets");
  });

  it("keeps tokens out of the logs, even at trace level", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", path.resolve("apps/server/src/main.ts")], {
      env: {
        ...process.env,
        DATA_DIR: tempDir(),
        PORT: "0",
        HOST: "127.0.0.1",
        LOG_LEVEL: "trace",
        CLIENT_DIR: "",
      },
      stdio: "pipe",
    });
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
    });
    child.stderr.on("data", (chunk) => {
      output += chunk;
    });
    try {
      await expect.poll(() => /listening at http/.test(output), { timeout: 45_000 }).toBe(true);
      const url = /listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output)![1]!;
      const registered = await fetch(`${url}/api/auth/register`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username: "quiet_one", password: PASSWORD }),
      });
      const { token } = (await registered.json()) as { token: string };
      // The handshake auth, a token in the query string (some clients do that), and HTTP.
      for (const transports of [["polling"], ["websocket"]]) {
        const socket = io(url, {
          auth: { token },
          query: { token },
          transports,
          forceNew: true,
          reconnection: false,
        });
        await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
        socket.close();
      }
      await fetch(`${url}/api/me?token=${token}`, { headers: { authorization: `Bearer ${token}` } });
      await new Promise((resolve) => setTimeout(resolve, 300));
      const signature = token.split(".")[2]!;
      expect(output).toContain("incoming request");
      expect(output).not.toContain(signature);
    } finally {
      child.kill("SIGKILL");
    }
  });
});
