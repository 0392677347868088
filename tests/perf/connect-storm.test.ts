import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { request } from "../support/client.js";
import { startServer, type TestServer } from "../support/server.js";
import { type Connected, closeAll, connectPlayer, makePlayers } from "./storm.js";

// Counts only: how many messages a storm costs each client, and that nothing fails or oversells.
let server: TestServer;
const open: Connected[] = [];

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  closeAll(open);
  await server.close();
});

/** Lists that follow population and membership: each may go out once per second per key. */
const LIST_EVENTS = ["channels:updated", "channel:members_changed", "servers:updated", "rooms:updated"];
const LIST_INTERVAL_MS = 1_000;
const settle = () => new Promise((resolve) => setTimeout(resolve, LIST_INTERVAL_MS + 300));

/** A public room of four, hosted by `host`. */
async function createRoom(host: Connected, title: string): Promise<{ id: string }> {
  const created = await request<{ id: string }>(host.game, "room:create", {
    title,
    maxPlayers: 4,
    mode: "deathmatch",
    visibility: "public",
  });
  if (!created.ok) throw new Error(created.error.code);
  return created.data;
}

/** Everyone connects to `/` and the server and joins one of its channels, all at once. */
async function storm(slug: string, size: number, channels: number) {
  const players = await makePlayers(server, size);
  const started = Date.now();
  const outcomes = await Promise.allSettled(
    players.map(async (player, i) => {
      const connection = await connectPlayer(server.url, player.token, slug);
      open.push(connection);
      const joined = await request(connection.game, "channel:join", { channel: (i % channels) + 1 }, 30_000);
      if (!joined.ok) throw new Error(joined.error.code);
      return connection;
    }),
  );
  await settle();
  const windows = Math.ceil((Date.now() - started) / LIST_INTERVAL_MS) + 1;
  const connections = outcomes.flatMap((o) => (o.status === "fulfilled" ? [o.value] : []));
  const listUpdates = connections.map((c) => LIST_EVENTS.reduce((sum, e) => sum + (c.counts.get(e) ?? 0), 0));
  return { failed: outcomes.length - connections.length, connections, listUpdates, windows };
}

describe("connect storm", () => {
  it("costs each client a number of messages that does not grow with the number of players", async () => {
    const small = await storm("eu-1", 50, 4);
    const large = await storm("na-1", 150, 4);
    for (const run of [small, large]) {
      expect(run.failed).toBe(0);
      for (const { counts } of run.connections) {
        expect(counts.get("server:welcome")).toBe(1);
        expect(counts.get("rooms:snapshot")).toBe(1);
        expect(counts.get("notices:snapshot")).toBe(2);
      }
      // One list of each kind per second at most: bounded by the storm's length, never by its size.
      expect(Math.max(...run.listUpdates)).toBeLessThanOrEqual(LIST_EVENTS.length * run.windows);
    }
    // Before coalescing every join reached every player: 150 players meant 150+ updates each.
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    expect(mean(large.listUpdates)).toBeLessThan(large.connections.length / 4);
    expect(mean(large.listUpdates)).toBeLessThanOrEqual(mean(small.listUpdates) + 2 * LIST_EVENTS.length);
  });

  it("gives exactly the free seats to racers while a storm connects", async () => {
    const [host, ...racers] = await makePlayers(server, 31);
    const connections = await Promise.all(
      [host!, ...racers].map((p) => connectPlayer(server.url, p.token, "asia-1")),
    );
    open.push(...connections);
    const created = await createRoom(connections[0]!, "Race");
    const [replies, crowd] = await Promise.all([
      Promise.all(
        connections.slice(1).map((c) => request(c.game, "room:join", { roomId: created.id }, 30_000)),
      ),
      storm("asia-1", 100, 3),
    ]);
    expect(replies.filter((r) => r.ok)).toHaveLength(3);
    const refused = replies.filter((r) => !r.ok).map((r) => (r.ok ? "" : r.error.code));
    expect(new Set(refused)).toEqual(new Set(["room_full"]));
    expect(refused).toHaveLength(27);
    expect(crowd.failed).toBe(0);
  });

  it("sends one room-list update to every player of a big server, past one chunk of sockets", async () => {
    const admin = await server.admin("stormadmin");
    const spec = {
      slug: "big-1",
      name: "Big 1",
      region: "eu",
      channelCount: 2,
      channelCapacity: 500,
      maxPopulation: 1_000,
    };
    expect((await server.http("POST", "/api/admin/servers", { token: admin.token, body: spec })).status).toBe(
      201,
    );
    // More sockets than one write turn takes (250), so the update goes out in several turns.
    const players = await makePlayers(server, 320);
    const connections = await Promise.all(players.map((p) => connectPlayer(server.url, p.token, "big-1")));
    open.push(...connections);
    const room = await createRoom(connections[0]!, "Chunks");
    await settle();
    const before = connections.map((c) => c.counts.get("rooms:updated") ?? 0);
    expect((await request(connections[0]!.game, "room:update", { title: "Chunks 2" })).ok).toBe(true);
    await settle();
    const received = connections.map((c, i) => (c.counts.get("rooms:updated") ?? 0) - before[i]!);
    expect(new Set(received)).toEqual(new Set([1]));

    // A list change and the room's removal read in one poll phase (a member leaves, then the host):
    // the removal must come last for everyone, also where the update went out in a later turn.
    const member = connections[1]!.game;
    expect((await request(member, "room:join", { roomId: room.id })).ok).toBe(true);
    await settle();
    const last = connections.map(() => "");
    for (const [i, c] of connections.entries()) {
      c.game.onAny((event: string, payload: { id?: string; rooms?: { id: string }[] }) => {
        if (event === "room:removed" && payload.id === room.id) last[i] = event;
        if (event === "rooms:updated" && payload.rooms?.some((r) => r.id === room.id)) last[i] = event;
      });
    }
    const left = await Promise.all([
      request(member, "room:leave"),
      request(connections[0]!.game, "room:leave"),
    ]);
    expect(left.map((r) => r.ok)).toEqual([true, true]);
    await settle();
    expect(new Set(last)).toEqual(new Set(["room:removed"]));
  });
});
