import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { closeAll, expectNothing, ok, request, waitFor } from "../support/client.js";
import { makeFriends } from "../support/db.js";
import { startServer, type TestServer } from "../support/server.js";
import { closeServerSockets, newPlayer } from "./helpers.js";

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ inviteTimeoutMs: 1_000 });
});
afterEach(() => {
  closeServerSockets();
  closeAll();
});
afterAll(() => server.close());

async function setup(visibility = "invite_only") {
  const host = await newPlayer(server);
  const friend = await newPlayer(server);
  await makeFriends(server, host.id, friend.id);
  const room = await ok(host.socket, "room:create", {
    title: "Invites",
    maxPlayers: 4,
    mode: "custom",
    visibility,
    ...(visibility === "private" ? { password: "secret" } : {}),
  });
  return { host, friend, room };
}

describe("invites", () => {
  it("accepting joins the room even when it is invite-only or private", async () => {
    for (const visibility of ["invite_only", "private"]) {
      const { host, friend, room } = await setup(visibility);
      friend.socket.once("invite:received", (invite: any, answer: (reply: unknown) => void) => {
        expect(invite).toMatchObject({ room: { id: room.id }, from: { id: host.id } });
        expect(invite.expiresInMs).toBe(1_000);
        answer({ accept: true });
      });
      const joined = waitFor(friend.socket, "room:changed", 3_000, (r) =>
        r.members.some((m: any) => m.id === friend.id),
      );
      const { inviteId } = await ok(host.socket, "room:invite", { userId: friend.id });
      const answered = await waitFor(host.socket, "invite:answered");
      expect(answered).toEqual({ inviteId, user: { id: friend.id, name: friend.name }, outcome: "accepted" });
      expect((await joined).id).toBe(room.id);
    }
  });

  it("refuses to invite a player kicked from the room, before anything reaches them", async () => {
    const { host, friend, room } = await setup("public");
    await ok(friend.socket, "room:join", { roomId: room.id });
    await ok(host.socket, "room:kick", { userId: friend.id });
    const nothing = expectNothing(friend.socket, "invite:received", 400);
    expect(await request(host.socket, "room:invite", { userId: friend.id })).toMatchObject({
      ok: false,
      error: { code: "kicked_from_room" },
    });
    await nothing;
  });

  it("tells the inviter about a decline", async () => {
    const { host, friend } = await setup();
    friend.socket.once("invite:received", (_invite: unknown, answer: (reply: unknown) => void) =>
      answer({ accept: false }),
    );
    await ok(host.socket, "room:invite", { userId: friend.id });
    expect((await waitFor(host.socket, "invite:answered")).outcome).toBe("declined");
    expect((await ok(host.socket, "rooms:list"))[0]).toBeDefined();
  });

  it("expires when the invitee does not answer in time", async () => {
    const { host, friend, room } = await setup();
    friend.socket.once("invite:received", () => {
      /* never answers */
    });
    await ok(host.socket, "room:invite", { userId: friend.id });
    expect((await waitFor(host.socket, "invite:answered", 5_000)).outcome).toBe("expired");
    const list = await ok(host.socket, "rooms:list");
    expect(list.find((r: any) => r.id === room.id).players).toBe(1);
  });

  it("invites friends only, and only ones on this server", async () => {
    const { host, friend } = await setup();
    const stranger = await newPlayer(server);
    expect(await request(host.socket, "room:invite", { userId: stranger.id })).toMatchObject({
      ok: false,
      error: { code: "not_friends" },
    });
    friend.socket.disconnect();
    await new Promise((r) => setTimeout(r, 100));
    expect(await request(host.socket, "room:invite", { userId: friend.id })).toMatchObject({
      ok: false,
      error: { code: "invitee_offline" },
    });
    const roomless = await newPlayer(server);
    expect(await request(roomless.socket, "room:invite", { userId: host.id })).toMatchObject({
      ok: false,
      error: { code: "not_in_room" },
    });
  });
});
