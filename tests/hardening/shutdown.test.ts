import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { io, type Socket } from "socket.io-client";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "../support/processes.js";
import { PASSWORD } from "../support/server.js";

// Finding 11: SIGTERM under load exits 0 quickly, answers in-flight HTTP, and closes sockets so
// that clients reconnect by themselves to the restarted server.
const MAIN = path.resolve("apps/server/src/main.ts");
const PLAYERS = 50;
const children: ChildProcess[] = [];
const sockets: Socket[] = [];

afterAll(() => {
  for (const socket of sockets) socket.close();
  for (const child of children) child.kill("SIGKILL");
});

function startMain(dataDir: string, port: number): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, ["--import", "tsx", MAIN], {
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: "127.0.0.1",
      LOG_LEVEL: "info",
      CLIENT_DIR: "",
      REGISTER_RATE_LIMIT: "1000",
      LOGIN_RATE_LIMIT: "1000",
      LOGIN_IP_RATE_LIMIT: "1000",
    },
    stdio: "pipe",
  });
  children.push(child);
  let output = "";
  child.stdout!.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr!.on("data", (chunk) => {
    output += chunk;
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 45_000);
    const check = () => {
      if (/listening at http/.test(output)) {
        clearTimeout(timer);
        child.stdout!.off("data", check);
        resolve({ child, output: () => output });
      }
    };
    child.stdout!.on("data", check);
    child.once("exit", (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
}

/** Registers, waiting out a full password-check line (503) as a client should. */
async function register(url: string, username: string): Promise<string> {
  for (;;) {
    const reply = await post(`${url}/api/auth/register`, { username, password: PASSWORD });
    if (reply.status === 201) return reply.body.token;
    if (reply.status !== 503) throw new Error(`register ${username}: ${reply.status}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function post(url: string, body: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json().catch(() => null) };
}

describe("graceful shutdown (finding 11)", { timeout: 120_000 }, () => {
  it("exits 0 under load, answers in-flight logins, and every client comes back by itself", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "rally-shutdown-"));
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const first = await startMain(dataDir, port);

    const tokens: string[] = [];
    for (let batch = 0; batch < PLAYERS; batch += 10) {
      tokens.push(
        ...(await Promise.all(Array.from({ length: 10 }, (_, i) => register(url, `down_${batch + i}`)))),
      );
    }
    const reasons: string[] = [];
    let reconnected = 0;
    await Promise.all(
      tokens.map(
        (token) =>
          new Promise<void>((resolve, reject) => {
            const socket = io(url, {
              auth: { token },
              transports: ["websocket"],
              forceNew: true,
              reconnectionDelay: 100,
              reconnectionDelayMax: 500,
            });
            sockets.push(socket);
            socket.once("connect", () => {
              socket.on("connect", () => reconnected++);
              resolve();
            });
            socket.once("connect_error", reject);
            socket.on("disconnect", (reason) => reasons.push(reason));
          }),
      ),
    );

    const inFlight = Array.from({ length: 20 }, () =>
      post(`${url}/api/auth/login`, { username: "down_0", password: PASSWORD }).then(
        (reply) => reply.status,
        (error: Error) => `${error.message} ${(error.cause as Error | undefined)?.message ?? ""}`,
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 30));
    const exited = new Promise<number | null>((resolve) => first.child.once("exit", resolve));
    const started = performance.now();
    first.child.kill("SIGTERM");
    const code = await exited;
    const shutdownMs = Math.round(performance.now() - started);
    console.log(
      `shutdown with ${PLAYERS} players and 20 logins in flight: exit ${code} after ${shutdownMs} ms`,
    );

    expect(code, first.output()).toBe(0);
    const statuses = await Promise.all(inFlight);
    // Every login got an HTTP answer: done before the close, or 503 while closing.
    expect(
      statuses.every((s) => s === 200 || s === 503),
      statuses.join(", "),
    ).toBe(true);
    await expect.poll(() => reasons.length).toBe(PLAYERS);
    expect(new Set(reasons)).toEqual(new Set(["transport close"]));

    await startMain(dataDir, port);
    await expect.poll(() => reconnected, { timeout: 30_000 }).toBe(PLAYERS);
    console.log(`after the restart ${reconnected} of ${PLAYERS} clients reconnected by themselves`);
  });
});
