// Load benchmark: N socket.io-client bots on one loopback server. Bounded in count and time; it
// reports numbers and asserts nothing (performance goals live here, never in timed tests).
//   npm run bench -- --bots 200 --messages 5
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { io, type Socket } from "socket.io-client";
import { buildApp } from "../../apps/server/src/app.js";
import { loadConfig } from "../../apps/server/src/config.js";
import { migrate } from "../../apps/server/src/db.js";

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2)
  args.set(process.argv[i]!.replace(/^--/, ""), process.argv[i + 1] ?? "");
const BOTS = Number(args.get("bots") ?? 200);
const MESSAGES = Number(args.get("messages") ?? 5);
const SERVER = args.get("server") ?? "eu-1";
const DEADLINE = Date.now() + 120_000;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

function summary(label: string, values: number[]): void {
  console.log(
    `${label.padEnd(28)} n=${values.length} p50=${percentile(values, 50).toFixed(1)}ms p95=${percentile(values, 95).toFixed(1)}ms max=${Math.max(...values).toFixed(1)}ms`,
  );
}

function connected(url: string, token: string): Promise<Socket> {
  const socket = io(url, { auth: { token }, transports: ["websocket"], reconnection: false, forceNew: true });
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", reject);
  });
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rally-bench-"));
  const databaseUrl = `file:${path.join(dir, "bench.db")}`;
  await migrate(databaseUrl);
  const config = {
    ...loadConfig({
      DATA_DIR: dir,
      LOG_LEVEL: "silent",
      SESSION_SECRET: crypto.randomBytes(32).toString("hex"),
    }),
    databaseUrl,
    clientDir: null,
    loginRateLimit: { max: 1_000_000, windowMs: 60_000 },
  };
  const app = await buildApp(config);
  await app.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.address();
  const base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;

  const tokens: string[] = [];
  const registerStart = performance.now();
  for (let i = 0; i < BOTS; i++) {
    const response = await fetch(`${base}/api/auth/register`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: `bot_${i}`, password: "bench-password" }),
    });
    tokens.push(((await response.json()) as { token: string }).token);
  }
  console.log(
    `registered ${BOTS} bots in ${(performance.now() - registerStart).toFixed(0)}ms (Argon2id hashing dominates)`,
  );

  const connectTimes: number[] = [];
  const sockets = await Promise.all(
    tokens.map(async (token) => {
      const started = performance.now();
      const socket = await connected(`${base}/servers/${SERVER}`, token);
      connectTimes.push(performance.now() - started);
      return socket;
    }),
  );
  summary("connect /servers/<slug>", connectTimes);

  const joinTimes: number[] = [];
  await Promise.all(
    sockets.map(async (socket) => {
      const started = performance.now();
      const reply = await socket.timeout(10_000).emitWithAck("channel:join", { channel: 1 });
      if (reply.ok) joinTimes.push(performance.now() - started);
    }),
  );
  summary("channel:join (channel 1)", joinTimes);

  // Chat fan-out: every message goes to every member of the channel.
  const fanout: number[] = [];
  const sentAt = new Map<string, number>();
  for (const socket of sockets) {
    socket.on("channel:message_posted", (message: { text: string }) => {
      const started = sentAt.get(message.text);
      if (started !== undefined) fanout.push(performance.now() - started);
    });
  }
  for (let round = 0; round < MESSAGES && Date.now() < DEADLINE; round++) {
    const text = `bench ${round} ${crypto.randomUUID()}`;
    sentAt.set(text, performance.now());
    await sockets[round % sockets.length]!.timeout(10_000).emitWithAck("channel:chat", { text });
    await new Promise((r) => setTimeout(r, 200));
  }
  summary("chat fan-out per recipient", fanout);

  // Seat race: everyone tries to join one 4-seat room at once.
  const host = sockets[0]!;
  const created = await host.timeout(10_000).emitWithAck("room:create", {
    title: "Bench race",
    maxPlayers: 4,
    mode: "deathmatch",
    visibility: "public",
  });
  if (created.ok) {
    const replies = await Promise.all(
      sockets
        .slice(1)
        .map((socket) => socket.timeout(10_000).emitWithAck("room:join", { roomId: created.data.id })),
    );
    const joined = replies.filter((reply) => reply.ok).length;
    console.log(`seat race: ${sockets.length - 1} bots for 3 free seats -> ${joined} joined`);
  }

  for (const socket of sockets) socket.close();
  await app.close();
  fs.rmSync(dir, { recursive: true, force: true });
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
