import { Limits } from "@rally/protocol";
import { describe, expect, it } from "vitest";
import { connectError, expectNothing, ok, request, waitFor } from "../support/client.js";
import { startServer } from "../support/server.js";
import { closeServerSockets, newPlayer, useLobbyServer } from "./helpers.js";

const server = useLobbyServer();

describe("game servers", () => {
  it("lists the seeded servers with live population", async () => {
    const res = await server.http("GET", "/api/servers");
    expect(res.status).toBe(200);
    expect(res.body.map((s: any) => s.slug)).toEqual(expect.arrayContaining(["eu-1", "na-1", "asia-1"]));
    await newPlayer(server, "asia-1");
    const after = await server.http("GET", "/api/servers");
    expect(after.body.find((s: any) => s.slug === "asia-1").population).toBe(1);
  });

  it("refuses an unknown server before a namespace exists (Socket.IO's Invalid namespace)", async () => {
    const { token } = await server.register("wanderer");
    const error = await connectError(server.url, token, "/servers/nowhere");
    expect(error.message).toBe("Invalid namespace");
  });

  it("welcomes a player with the server and its channels", async () => {
    const p = await newPlayer(server);
    expect(p.welcome.server).toMatchObject({ slug: "eu-1", status: "open" });
    expect(p.welcome.channels).toHaveLength(p.welcome.server.channelCount);
    expect(p.welcome.restored).toEqual({
      channel: null,
      history: [],
      room: null,
      roomHistory: [],
      seatLost: null,
    });
  });
});

describe("channels", () => {
  it("keeps a player in one channel per server and shows members live", async () => {
    const a = await newPlayer(server, "na-1");
    const b = await newPlayer(server, "na-1");
    await ok(a.socket, "channel:join", { channel: 1 });
    const seen = waitFor(a.socket, "channel:members_changed", 3_000, (p) => p.members.length === 2);
    const joined = await ok(b.socket, "channel:join", { channel: 1 });
    expect(joined.members.map((m: any) => m.id).sort()).toEqual([a.id, b.id].sort());
    expect((await seen).channel).toBe(1);
    const left = waitFor(a.socket, "channel:members_changed", 3_000, (p) => p.members.length === 1);
    const populations = waitFor(a.socket, "channels:updated", 3_000, (list) =>
      list.some((c: any) => c.channel === 2 && c.population === 1),
    );
    await ok(b.socket, "channel:join", { channel: 2 });
    expect((await left).members.map((m: any) => m.id)).toEqual([a.id]);
    expect((await populations).find((c: any) => c.channel === 1).population).toBe(1);
  });

  it("refuses a full channel and an unknown channel", async () => {
    const small = await startServer();
    try {
      await small.http("POST", "/api/admin/servers", {
        token: (await small.admin("boss")).token,
        body: {
          slug: "tiny",
          name: "Tiny",
          region: "eu",
          channelCount: 1,
          channelCapacity: 1,
          maxPopulation: 10,
        },
      });
      const a = await newPlayer(small, "tiny");
      const b = await newPlayer(small, "tiny");
      await ok(a.socket, "channel:join", { channel: 1 });
      expect(await request(b.socket, "channel:join", { channel: 1 })).toMatchObject({
        ok: false,
        error: { code: "channel_full" },
      });
      expect(await request(b.socket, "channel:join", { channel: 2 })).toMatchObject({
        ok: false,
        error: { code: "channel_not_found" },
      });
    } finally {
      closeServerSockets();
      await small.close();
    }
  });

  it("delivers chat to that channel only, with sender and server time, and history on join", async () => {
    const a = await newPlayer(server, "eu-1");
    const b = await newPlayer(server, "eu-1");
    const other = await newPlayer(server, "eu-1");
    const elsewhere = await newPlayer(server, "na-1");
    await ok(a.socket, "channel:join", { channel: 3 });
    await ok(b.socket, "channel:join", { channel: 3 });
    await ok(other.socket, "channel:join", { channel: 4 });
    await ok(elsewhere.socket, "channel:join", { channel: 3 });
    const received = waitFor(b.socket, "channel:message_posted");
    const nothingOther = expectNothing(other.socket, "channel:message_posted");
    const nothingElsewhere = expectNothing(elsewhere.socket, "channel:message_posted");
    const nothingSelf = expectNothing(a.socket, "channel:message_posted");
    const sent = await ok(a.socket, "channel:chat", { text: "  hello channel  " });
    const message = await received;
    expect(message).toMatchObject({ text: "hello channel", channel: 3, from: { id: a.id, name: a.name } });
    expect(sent.id).toBe(message.id);
    expect(Math.abs(Date.parse(message.at) - Date.now())).toBeLessThan(10_000);
    await Promise.all([nothingOther, nothingElsewhere, nothingSelf]);

    const late = await newPlayer(server, "eu-1");
    const join = await ok(late.socket, "channel:join", { channel: 3 });
    expect(join.history.map((m: any) => m.text)).toEqual(["hello channel"]);
  });

  it("validates chat text and keeps the last 50 messages", async () => {
    const a = await newPlayer(server, "asia-1");
    expect(await request(a.socket, "channel:chat", { text: "hi" })).toMatchObject({
      ok: false,
      error: { code: "not_in_channel" },
    });
    await ok(a.socket, "channel:join", { channel: 2 });
    for (const text of ["   ", "x".repeat(Limits.chatMax + 1)]) {
      expect(await request(a.socket, "channel:chat", { text })).toMatchObject({
        ok: false,
        error: { code: "invalid_payload", field: "text" },
      });
    }
    expect((await request(a.socket, "channel:chat", { text: "x".repeat(Limits.chatMax) })).ok).toBe(true);
  });

  it("rate-limits chat per player", async () => {
    const a = await newPlayer(server, "na-1");
    await ok(a.socket, "channel:join", { channel: 4 });
    for (let i = 0; i < Limits.chatBurst; i++) await ok(a.socket, "channel:chat", { text: `m${i}` });
    expect(await request(a.socket, "channel:chat", { text: "one too many" })).toMatchObject({
      ok: false,
      error: { code: "rate_limited" },
    });
  });

  it("keeps namespaces independent", async () => {
    const a = await newPlayer(server, "eu-1");
    const b = await newPlayer(server, "na-1");
    const nothing = expectNothing(b.socket, "room:created");
    await ok(a.socket, "room:create", {
      title: "EU only",
      maxPlayers: 4,
      mode: "deathmatch",
      visibility: "public",
    });
    await nothing;
    const list = await ok(b.socket, "rooms:list");
    expect(list.find((r: any) => r.title === "EU only")).toBeUndefined();
  });
});
