import type { Socket } from "socket.io-client";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { DEFAULT_SOCKET_LIMITS } from "../../apps/server/src/config.js";
import { closeAll, ok, request } from "../support/client.js";
import { startServer, type TestServer } from "../support/server.js";
import { closeServerSockets, newPlayer } from "../lobby/helpers.js";

// A slice of 0 ms sends every inbound packet through the turn queue (one packet per event-loop
// turn), so these tests see the queue at work whatever the machine's speed.
const METRICS_TOKEN = "turns-test-metrics-token";
const QUEUE_LIMIT = 100;
let server: TestServer;

beforeAll(async () => {
  server = await startServer({
    socketLimits: { ...DEFAULT_SOCKET_LIMITS, turnSliceMs: 0, turnQueueLimit: QUEUE_LIMIT },
    metrics: { token: METRICS_TOKEN, host: null, port: null },
  });
});
afterEach(() => {
  closeServerSockets();
  closeAll();
});
afterAll(() => server?.close());

async function metric(name: string): Promise<number> {
  const metrics = await server.http("GET", "/metrics", { token: METRICS_TOKEN });
  const match = new RegExp(`^${name} (\\d+)$`, "m").exec(metrics.body);
  if (!match) throw new Error(`${name} is missing from /metrics`);
  return Number(match[1]);
}
const queuePeak = () => metric("rally_inbound_queue_peak");

/** Sends the requests back to back, without waiting, and resolves with every reply. */
const burst = (socket: Socket, requests: [string, unknown][]) =>
  Promise.all(requests.map(([event, payload]) => request(socket, event, payload)));

it("answers every queued request once, and runs each socket's requests in the order sent", async () => {
  await queuePeak(); // starts the peak afresh
  const players = await Promise.all(Array.from({ length: 20 }, () => newPlayer(server, "eu-1", "turn")));
  const replies = await Promise.all(
    players.map((p) =>
      burst(p.socket, [
        ["channel:join", { channel: 1 }],
        ["channel:join", { channel: 2 }],
        ["channel:join", { channel: 3 }],
        ["channel:chat", { text: `here ${p.name}` }],
      ]),
    ),
  );
  for (const reply of replies.flat()) expect(reply).toMatchObject({ ok: true });
  expect(await queuePeak()).toBeGreaterThan(0);

  // Each player's last join ran last: all of them are in channel 3, none left in 1 or 2.
  const observer = await newPlayer(server, "eu-1", "obs");
  const inThree = await ok(observer.socket, "channel:join", { channel: 3 });
  const names = inThree.members.map((m: { name: string }) => m.name);
  for (const p of players) expect(names).toContain(p.name);
  // ...and chatted there after arriving: every line is in channel 3's history.
  const lines = inThree.history.map((m: { text: string }) => m.text);
  for (const p of players) expect(lines).toContain(`here ${p.name}`);
  for (const channel of [1, 2]) {
    const other = await ok(observer.socket, "channel:join", { channel });
    expect(other.members.map((m: { name: string }) => m.name)).toEqual([observer.name]);
  }
});

it("drops the queued packets of a socket that disconnects, and keeps serving everyone else", async () => {
  const [leaver, stayer] = await Promise.all([newPlayer(server), newPlayer(server)]);
  for (let i = 0; i < 20; i++) leaver.socket.emit("channel:join", { channel: (i % 3) + 1 }, () => {});
  leaver.socket.disconnect();
  expect(await ok(stayer.socket, "channel:join", { channel: 2 })).toMatchObject({ channel: 2 });
  const reply = await ok(stayer.socket, "channel:chat", { text: "still here" });
  expect(reply).toBeDefined();
  // The queue is empty again: a scrape after the burst resets the peak to the current depth.
  await queuePeak();
  expect(await queuePeak()).toBe(0);
});

it("past the queue limit answers unavailable, once per request, and serves again once it drains", async () => {
  const players = await Promise.all(Array.from({ length: 4 }, () => newPlayer(server, "eu-1", "full")));
  const refusedBefore = await metric("rally_busy_refusals_total");
  // 4 × 40 requests in one go (within the flood budget): more than the 100 that may wait.
  const replies = (
    await Promise.all(
      players.map((p) =>
        burst(
          p.socket,
          Array.from({ length: 40 }, () => ["rooms:list", undefined]),
        ),
      ),
    )
  ).flat();
  expect(replies).toHaveLength(160);
  const refused = replies.filter((r) => !r.ok);
  expect(refused.length).toBeGreaterThan(0);
  for (const reply of refused) expect(reply).toMatchObject({ ok: false, error: { code: "unavailable" } });
  expect(replies.filter((r) => r.ok).length).toBeGreaterThanOrEqual(QUEUE_LIMIT);
  expect((await metric("rally_busy_refusals_total")) - refusedBefore).toBe(refused.length);
  expect(await queuePeak()).toBeLessThanOrEqual(QUEUE_LIMIT);
  // Drained: the same players are served again.
  for (const p of players) await expect(ok(p.socket, "rooms:list")).resolves.toBeDefined();
});
