import { describe, expect, it } from "vitest";
import { expectNothing, ok, request, waitFor } from "../support/client.js";
import { newPlayer, useLobbyServer, type Player } from "./helpers.js";

const server = useLobbyServer();

const publicRoom = { title: "Friday fun", maxPlayers: 4, mode: "deathmatch", visibility: "public" };

async function roomWith(host: Player, ...guests: Player[]) {
  const room = await ok(host.socket, "room:create", publicRoom);
  for (const guest of guests) await ok(guest.socket, "room:join", { roomId: room.id });
  return room;
}

describe("creating and listing", () => {
  it("makes the creator host and pushes list deltas to browsers of that server only", async () => {
    const host = await newPlayer(server);
    const browser = await newPlayer(server);
    const elsewhere = await newPlayer(server, "na-1");
    const created = waitFor(browser.socket, "room:created");
    const notElsewhere = expectNothing(elsewhere.socket, "room:created");
    const room = await ok(host.socket, "room:create", { ...publicRoom, title: "  Deltas  " });
    expect(room).toMatchObject({ title: "Deltas", players: 1, state: "waiting", host: { id: host.id } });
    expect(room.members).toEqual([
      { id: host.id, name: host.name, ready: false, host: true, reconnecting: false },
    ]);
    expect(await created).toMatchObject({ id: room.id, players: 1, maxPlayers: 4, mode: "deathmatch" });
    await notElsewhere;

    const updated = waitFor(browser.socket, "rooms:updated", 3_000, ({ rooms }) =>
      rooms.some((r: any) => r.id === room.id && r.players === 2),
    );
    const guest = await newPlayer(server);
    expect(guest.snapshot.some((r: any) => r.id === room.id)).toBe(true);
    await ok(guest.socket, "room:join", { roomId: room.id });
    await updated;
    const removed = waitFor(browser.socket, "room:removed", 3_000, (r) => r.id === room.id);
    await ok(guest.socket, "room:leave");
    await ok(host.socket, "room:leave");
    await removed;
    expect((await ok(browser.socket, "rooms:list")).some((r: any) => r.id === room.id)).toBe(false);
  });

  it("validates the room settings", async () => {
    const p = await newPlayer(server);
    const cases: [object, string][] = [
      [{ ...publicRoom, title: "" }, "title"],
      [{ ...publicRoom, title: "x".repeat(41) }, "title"],
      [{ ...publicRoom, maxPlayers: 1 }, "maxPlayers"],
      [{ ...publicRoom, maxPlayers: 17 }, "maxPlayers"],
      [{ ...publicRoom, mode: "chess" }, "mode"],
      [{ ...publicRoom, visibility: "private" }, "password"],
    ];
    for (const [payload, field] of cases) {
      expect(await request(p.socket, "room:create", payload)).toMatchObject({
        ok: false,
        error: { code: "invalid_payload", field },
      });
    }
  });

  it("allows one waiting room at a time", async () => {
    const p = await newPlayer(server);
    await ok(p.socket, "room:create", publicRoom);
    expect(await request(p.socket, "room:create", publicRoom)).toMatchObject({
      ok: false,
      error: { code: "already_in_room" },
    });
    const other = await newPlayer(server);
    const room2 = await ok(other.socket, "room:create", publicRoom);
    expect(await request(p.socket, "room:join", { roomId: room2.id })).toMatchObject({
      ok: false,
      error: { code: "already_in_room" },
    });
  });
});

describe("joining", () => {
  it("gives each refusal its own code", async () => {
    const host = await newPlayer(server);
    const guest = await newPlayer(server);
    expect(await request(guest.socket, "room:join", { roomId: "nope" })).toMatchObject({
      ok: false,
      error: { code: "room_not_found" },
    });

    const priv = await ok(host.socket, "room:create", {
      ...publicRoom,
      visibility: "private",
      password: "sesame",
    });
    expect(await request(guest.socket, "room:join", { roomId: priv.id, password: "wrong" })).toMatchObject({
      ok: false,
      error: { code: "wrong_password" },
    });
    expect(await request(guest.socket, "room:join", { roomId: priv.id })).toMatchObject({
      ok: false,
      error: { code: "wrong_password" },
    });
    const joined = await ok(guest.socket, "room:join", { roomId: priv.id, password: "sesame" });
    expect(joined.players).toBe(2);
    expect(joined.history).toEqual([]);

    const host2 = await newPlayer(server);
    const invite = await ok(host2.socket, "room:create", { ...publicRoom, visibility: "invite_only" });
    const outsider = await newPlayer(server);
    expect(await request(outsider.socket, "room:join", { roomId: invite.id })).toMatchObject({
      ok: false,
      error: { code: "invite_only" },
    });

    const host3 = await newPlayer(server);
    const tiny = await ok(host3.socket, "room:create", { ...publicRoom, maxPlayers: 2 });
    await ok(outsider.socket, "room:join", { roomId: tiny.id });
    const late = await newPlayer(server);
    expect(await request(late.socket, "room:join", { roomId: tiny.id })).toMatchObject({
      ok: false,
      error: { code: "room_full" },
    });
    await ok(outsider.socket, "room:ready", { ready: true });
    await ok(host3.socket, "room:start");
    await ok(outsider.socket, "room:leave");
    expect(await request(late.socket, "room:join", { roomId: tiny.id })).toMatchObject({
      ok: false,
      error: { code: "room_in_game" },
    });
  });

  it("lets exactly 3 of 20 racing clients take the last 3 seats", async () => {
    const host = await newPlayer(server, "asia-1");
    const room = await ok(host.socket, "room:create", { ...publicRoom, maxPlayers: 4 });
    const racers = await Promise.all(Array.from({ length: 20 }, () => newPlayer(server, "asia-1", "r")));
    const replies = await Promise.all(racers.map((r) => request(r.socket, "room:join", { roomId: room.id })));
    const winners = replies.filter((r) => r.ok);
    const losers = replies.filter((r) => !r.ok);
    expect(winners).toHaveLength(3);
    expect(losers).toHaveLength(17);
    for (const loser of losers) expect(loser).toMatchObject({ ok: false, error: { code: "room_full" } });
    const list = await ok(host.socket, "rooms:list");
    expect(list.find((r: any) => r.id === room.id).players).toBe(4);
  });
});

describe("host actions", () => {
  it("migrates the host to the longest-present member and tells everyone", async () => {
    const [a, b, c] = [await newPlayer(server), await newPlayer(server), await newPlayer(server)];
    const room = await roomWith(a, b, c);
    const toldB = waitFor(b.socket, "room:host_changed");
    const toldC = waitFor(c.socket, "room:host_changed");
    const changed = waitFor(c.socket, "room:changed", 3_000, (r) => r.host.id === b.id);
    await ok(a.socket, "room:leave");
    expect((await toldB).host).toEqual({ id: b.id, name: b.name });
    expect((await toldC).roomId).toBe(room.id);
    expect(await request(c.socket, "room:start")).toMatchObject({ ok: false, error: { code: "not_host" } });
    const view = await changed;
    expect(view.members.find((m: any) => m.id === b.id).host).toBe(true);
  });

  it("kicks: the player is told and cannot rejoin", async () => {
    const [host, target, bystander] = [
      await newPlayer(server),
      await newPlayer(server),
      await newPlayer(server),
    ];
    const room = await roomWith(host, target, bystander);
    expect(await request(target.socket, "room:kick", { userId: bystander.id })).toMatchObject({
      ok: false,
      error: { code: "not_host" },
    });
    const kicked = waitFor(target.socket, "room:kicked");
    const changed = waitFor(bystander.socket, "room:changed", 3_000, (r) => r.players === 2);
    await ok(host.socket, "room:kick", { userId: target.id });
    expect(await kicked).toEqual({ roomId: room.id });
    expect((await changed).members.map((m: any) => m.id)).not.toContain(target.id);
    expect(await request(target.socket, "room:join", { roomId: room.id })).toMatchObject({
      ok: false,
      error: { code: "kicked_from_room" },
    });
    // the kicked player no longer gets the room's chat
    const nothing = expectNothing(target.socket, "room:message_posted");
    await ok(host.socket, "room:chat", { text: "bye" });
    await nothing;
  });

  it("changes settings, never below the current count", async () => {
    const [host, guest] = [await newPlayer(server), await newPlayer(server)];
    const room = await roomWith(host, guest);
    expect(await request(host.socket, "room:update", { maxPlayers: 2 })).toMatchObject({ ok: true });
    const tooSmall = await request(host.socket, "room:update", { maxPlayers: 1 });
    expect(tooSmall).toMatchObject({ ok: false, error: { code: "invalid_payload", field: "maxPlayers" } });
    await ok(host.socket, "room:update", { maxPlayers: 3 });
    const third = await newPlayer(server);
    await ok(third.socket, "room:join", { roomId: room.id });
    expect(await request(host.socket, "room:update", { maxPlayers: 2 })).toMatchObject({
      ok: false,
      error: { code: "max_below_count" },
    });
    expect(await request(host.socket, "room:update", { visibility: "private" })).toMatchObject({
      ok: false,
      error: { code: "invalid_payload", field: "password" },
    });
    const seen = waitFor(guest.socket, "room:changed", 3_000, (r) => r.title === "Renamed");
    const updated = await ok(host.socket, "room:update", {
      title: "Renamed",
      visibility: "private",
      password: "pw",
    });
    expect(updated).toMatchObject({ title: "Renamed", visibility: "private" });
    await seen;
    expect(await request(guest.socket, "room:update", { title: "Mine" })).toMatchObject({
      ok: false,
      error: { code: "not_host" },
    });
  });
});

describe("ready, start and end", () => {
  it("needs two players and everyone but the host ready; then end resets", async () => {
    const host = await newPlayer(server);
    const room = await ok(host.socket, "room:create", publicRoom);
    expect(await request(host.socket, "room:start")).toMatchObject({
      ok: false,
      error: { code: "not_enough_players" },
    });
    const guest = await newPlayer(server);
    await ok(guest.socket, "room:join", { roomId: room.id });
    expect(await request(host.socket, "room:start")).toMatchObject({
      ok: false,
      error: { code: "players_not_ready" },
    });
    await ok(guest.socket, "room:ready", { ready: true });
    const started = [waitFor(host.socket, "game:started"), waitFor(guest.socket, "game:started")];
    const listed = waitFor(guest.socket, "rooms:updated", 3_000, ({ rooms }) =>
      rooms.some((r: any) => r.id === room.id && r.state === "in_game"),
    );
    await ok(host.socket, "room:start");
    for (const event of await Promise.all(started)) {
      expect(event.roomId).toBe(room.id);
      expect(event.roster.map((r: any) => r.id).sort()).toEqual([host.id, guest.id].sort());
    }
    await listed;
    expect(await request(guest.socket, "room:end")).toMatchObject({ ok: false, error: { code: "not_host" } });
    const ended = waitFor(guest.socket, "game:ended");
    const reset = waitFor(guest.socket, "room:changed", 3_000, (r) => r.state === "waiting");
    await ok(host.socket, "room:end");
    await ended;
    expect((await reset).members.every((m: any) => !m.ready)).toBe(true);
    expect(await request(host.socket, "room:end")).toMatchObject({
      ok: false,
      error: { code: "not_in_game" },
    });
  });

  it("carries room chat to members only", async () => {
    const [host, guest, outsider] = [
      await newPlayer(server),
      await newPlayer(server),
      await newPlayer(server),
    ];
    await roomWith(host, guest);
    const got = waitFor(guest.socket, "room:message_posted");
    const nothing = expectNothing(outsider.socket, "room:message_posted");
    await ok(host.socket, "room:chat", { text: "gl hf" });
    expect(await got).toMatchObject({ text: "gl hf", from: { id: host.id } });
    await nothing;
    expect(await request(outsider.socket, "room:chat", { text: "hi" })).toMatchObject({
      ok: false,
      error: { code: "not_in_room" },
    });
  });
});
