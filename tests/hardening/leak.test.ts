import vm from "node:vm";
import v8 from "node:v8";
import type { LoginReply } from "@rally/protocol";
import type { Socket } from "socket.io-client";
import { afterAll, beforeAll, expect, it } from "vitest";
import { connect, ok, waitFor } from "../support/client.js";
import { DEFAULT_SOCKET_LIMITS } from "../../apps/server/src/config.js";
import { startServer, type TestServer } from "../support/server.js";
import { connectServer, uniqueName } from "../lobby/helpers.js";

// Finding 6 of issue 9: after players came and went, heap after GC grew from 25 to 80 MiB (chat
// history of removed rooms, per-user rate-limit entries, ...). Cycles of players arriving,
// chatting, playing and leaving must leave every per-player collection empty and the heap where
// it started.
const METRICS_TOKEN = "leak-test-metrics-token";
const PLAYERS = 12;
const CYCLES = 4;

function forceGc(): () => void {
  if (typeof globalThis.gc === "function") return globalThis.gc;
  v8.setFlagsFromString("--expose-gc");
  return vm.runInNewContext("gc") as () => void;
}
const gc = forceGc();

async function heapAfterGc(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return process.memoryUsage().heapUsed;
}

let server: TestServer;
let logins: LoginReply[];

beforeAll(async () => {
  // Cycles run back to back, faster than any player plays: budgets out of the way (they are still
  // kept per player, and counted below).
  const budget = { burst: 100_000, perSecond: 100_000 };
  server = await startServer({
    socketLimits: { ...DEFAULT_SOCKET_LIMITS, socketBudget: budget, userBudget: budget },
    seatGraceMs: 100,
    presenceGraceMs: 50,
    metrics: { token: METRICS_TOKEN, host: null, port: null },
  });
  logins = [];
  for (let i = 0; i < PLAYERS; i++) logins.push(await server.register(uniqueName("leak")));
});
afterAll(() => server.close());

/** Two players: the host opens a room, the guest joins, they chat, play a game and everyone leaves. */
async function pairPlays(host: Socket, guest: Socket, n: number): Promise<void> {
  const room = await ok(host, "room:create", {
    title: `leak ${n}`,
    maxPlayers: 2,
    mode: "custom",
    // one private room a cycle: a password hash is slow, and one is enough to exercise the path
    visibility: n % 100 ? "public" : "private",
    ...(n % 100 ? {} : { password: "pw" }),
  });
  await ok(guest, "room:join", { roomId: room.id, password: "pw" });
  await ok(guest, "room:chat", { text: "gl hf" });
  await ok(guest, "room:ready", { ready: true });
  const started = waitFor(guest, "game:started");
  await ok(host, "room:start");
  await started;
  await ok(host, "room:end");
  await ok(guest, "room:leave");
  await ok(host, "room:leave");
}

/** `talks`: whether this player chats in the channel (guests chat in their room instead). */
async function arrive(login: LoginReply, round: number, talks: boolean): Promise<Socket[]> {
  const social = await connect(server.url, login.token);
  await ok(social, "presence:announce");
  const { socket, ready } = await connectServer(server, login.token, "eu-1");
  await ready;
  await ok(socket, "channel:join", { channel: 1 + (round % 4) });
  // One chat line per player and cycle stays within the chat limit however fast the cycles run.
  if (talks) await ok(socket, "channel:chat", { text: `round ${round}` });
  return [social, socket];
}

async function cycle(round: number): Promise<void> {
  const arrived = await Promise.all(logins.map((login, i) => arrive(login, round, i % 2 === 0)));
  const games = arrived.map(([, game]) => game!);
  const pairs = [];
  for (let i = 0; i + 1 < games.length; i += 2)
    pairs.push(pairPlays(games[i]!, games[i + 1]!, round * 100 + i));
  await Promise.all(pairs);
  // Half leave their channel by hand, the rest by closing the connection.
  await Promise.all(games.filter((_, i) => i % 2 === 0).map((game) => ok(game, "channel:leave")));
  for (const socket of arrived.flat()) socket.close();
  // the seat and presence grace periods pass
  await new Promise((resolve) => setTimeout(resolve, 400));
}

/**
 * Socket.IO's connection-state recovery keeps every broadcast for the recovery window (two
 * minutes) so a dropped client can catch up: bounded by time, not by players, and not ours to
 * shrink. It is counted and then set aside so the measurement sees what the app itself keeps.
 */
function dropRecoveryBuffer(): number {
  let packets = 0;
  for (const nsp of server.app.io._nsps.values()) {
    const adapter = nsp.adapter as unknown as { packets?: unknown[] };
    packets += adapter.packets?.length ?? 0;
    if (adapter.packets) adapter.packets.length = 0;
  }
  return packets;
}

it("returns every per-player collection to empty and the heap to its baseline", {
  timeout: 120_000,
}, async () => {
  await cycle(0);
  await cycle(1);
  dropRecoveryBuffer();
  const baseline = await heapAfterGc();
  for (let round = 2; round < 2 + CYCLES; round++) await cycle(round);
  // Rate-limit buckets are forgotten once refilled: the chat bucket takes 5 s.
  await new Promise((resolve) => setTimeout(resolve, 5_200));
  const recoveryPackets = dropRecoveryBuffer();
  const after = await heapAfterGc();
  const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
  console.log(
    `leak: heap after GC ${mib(baseline)} MiB after warm-up, ${mib(after)} MiB after ${CYCLES} more cycles of ${PLAYERS} players (${(((after - baseline) / baseline) * 100).toFixed(1)}%); recovery buffer held ${recoveryPackets} broadcasts`,
  );
  const sizes = server.app.stateSizes();
  expect(sizes).toEqual(Object.fromEntries(Object.keys(sizes).map((name) => [name, 0])));
  expect(Object.keys(sizes)).toEqual(
    expect.arrayContaining(["lobby.roomChats", "lobby.rateBuckets", "flood.users", "presence.connections"]),
  );
  // Operators see the same counts on /metrics.
  const metrics = await server.http("GET", "/metrics", { token: METRICS_TOKEN });
  expect(metrics.body).toContain('rally_state_entries{collection="lobby.roomChats"} 0');
  expect(metrics.body).toContain('rally_state_entries{collection="flood.users"} 0');
  expect(after).toBeLessThan(baseline * 1.1);
});
