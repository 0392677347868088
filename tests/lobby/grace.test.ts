import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { closeAll, expectNothing, ok, waitFor } from "../support/client.js";
import { startServer, type TestServer } from "../support/server.js";
import { closeServerSockets, joinServer, newPlayer } from "./helpers.js";

const GRACE_MS = 1_000;
let server: TestServer;
beforeAll(async () => {
  server = await startServer({ seatGraceMs: GRACE_MS });
});
afterEach(() => {
  closeServerSockets();
  closeAll();
});
afterAll(() => server.close());

const room = { title: "Grace", maxPlayers: 4, mode: "co_op", visibility: "public" };

describe("dropped connections keep their seat", () => {
  it("shows the player reconnecting, then restores seat and channel on return", async () => {
    const host = await newPlayer(server);
    const dropper = await newPlayer(server);
    const created = await ok(host.socket, "room:create", room);
    await ok(dropper.socket, "channel:join", { channel: 2 });
    await ok(dropper.socket, "channel:chat", { text: "before the drop" });
    await ok(dropper.socket, "room:join", { roomId: created.id });

    const marked = waitFor(host.socket, "room:changed", 3_000, (r) =>
      r.members.some((m: any) => m.id === dropper.id && m.reconnecting),
    );
    dropper.socket.disconnect();
    await marked;

    const unmarked = waitFor(host.socket, "room:changed", 3_000, (r) =>
      r.members.some((m: any) => m.id === dropper.id && !m.reconnecting),
    );
    const noFree = expectNothing(host.socket, "room:seat_freed", GRACE_MS + 500);
    const back = await joinServer(server, dropper.login);
    await unmarked;
    expect(back.welcome.restored.channel).toBe(2);
    expect(back.welcome.restored.history.map((m: any) => m.text)).toEqual(["before the drop"]);
    expect(back.welcome.restored.room.id).toBe(created.id);
    await noFree;
    // still seated and in the channel's socket room without joining again
    const chat = waitFor(back.socket, "room:message_posted");
    await ok(host.socket, "room:chat", { text: "welcome back" });
    expect((await chat).text).toBe("welcome back");
    await expect(ok(back.socket, "room:ready", { ready: true })).resolves.toBeNull();
  });

  it("frees the seat after the window and migrates the host", async () => {
    const host = await newPlayer(server);
    const guest = await newPlayer(server);
    const created = await ok(host.socket, "room:create", room);
    await ok(guest.socket, "room:join", { roomId: created.id });
    const freed = waitFor(guest.socket, "room:seat_freed", GRACE_MS + 4_000);
    const newHost = waitFor(guest.socket, "room:host_changed", GRACE_MS + 4_000);
    host.socket.disconnect();
    expect(await freed).toEqual({ roomId: created.id, user: { id: host.id, name: host.name } });
    expect((await newHost).host.id).toBe(guest.id);
    const back = await joinServer(server, host.login);
    expect(back.welcome.restored.room).toBeNull();
    expect(back.welcome.restored.seatLost).toEqual({ roomId: created.id, title: "Grace" });
    // told once
    back.socket.disconnect();
    const again = await joinServer(server, host.login);
    expect(again.welcome.restored.seatLost).toBeNull();
  });

  it("restores the room chat, and ends a game left with one player when a seat is lost", async () => {
    const host = await newPlayer(server);
    const guest = await newPlayer(server);
    const created = await ok(host.socket, "room:create", room);
    await ok(guest.socket, "room:join", { roomId: created.id });
    await ok(guest.socket, "room:chat", { text: "gl hf" });
    await ok(guest.socket, "room:ready", { ready: true });
    await ok(host.socket, "room:start");

    guest.socket.disconnect();
    const back = await joinServer(server, guest.login);
    expect(back.welcome.restored.roomHistory.map((m: any) => m.text)).toEqual(["gl hf"]);

    const ended = waitFor(host.socket, "game:ended", GRACE_MS + 4_000);
    const waiting = waitFor(host.socket, "room:changed", GRACE_MS + 4_000, (r) => r.state === "waiting");
    back.socket.disconnect();
    expect(await ended).toEqual({ roomId: created.id });
    expect((await waiting).members.map((m: any) => m.id)).toEqual([host.id]);
  });
});
