import { describe, expect, it } from "vitest";
import { expectNothing, ok, record, request, waitFor } from "../support/client.js";
import { newPlayer, useLobbyServer } from "./helpers.js";

const server = useLobbyServer();

async function twoPlayerRoom() {
  const host = await newPlayer(server);
  const guest = await newPlayer(server);
  const outsider = await newPlayer(server);
  const room = await ok(host.socket, "room:create", {
    title: "Arena",
    maxPlayers: 4,
    mode: "co_op",
    visibility: "public",
  });
  await ok(guest.socket, "room:join", { roomId: room.id });
  await ok(guest.socket, "room:ready", { ready: true });
  return { host, guest, outsider, room };
}

describe("game:move relays avatar positions", () => {
  it("reaches the other players of the game, not the mover nor players outside the room", async () => {
    const { host, guest, outsider } = await twoPlayerRoom();
    await ok(host.socket, "room:start");
    const moved = waitFor(guest.socket, "game:moved");
    const notEchoed = expectNothing(host.socket, "game:moved", 400);
    const notOutside = expectNothing(outsider.socket, "game:moved", 400);
    host.socket.emit("game:move", { x: 120, y: 80 });
    expect(await moved).toEqual({ userId: host.id, x: 120, y: 80 });
    await Promise.all([notEchoed, notOutside]);
    expect(await request(guest.socket, "game:move", { x: 5, y: 6 })).toEqual({ ok: true, data: null });
  });

  it("is refused outside a game and for positions off the arena", async () => {
    const { host, guest } = await twoPlayerRoom();
    const nothing = expectNothing(guest.socket, "game:moved", 400);
    expect(await request(host.socket, "game:move", { x: 1, y: 1 })).toMatchObject({
      ok: false,
      error: { code: "not_in_game" },
    });
    await nothing;
    await ok(host.socket, "room:start");
    expect(await request(host.socket, "game:move", { x: 99_999, y: 1 })).toMatchObject({
      ok: false,
      error: { code: "invalid_payload", field: "x" },
    });
  });

  it("drops moves beyond the per-socket rate", async () => {
    const { host, guest } = await twoPlayerRoom();
    await ok(host.socket, "room:start");
    const seen = record(guest.socket);
    const replies = await Promise.all(
      Array.from({ length: 30 }, (_, i) => request(host.socket, "game:move", { x: i, y: i })),
    );
    const limited = replies.filter((r: any) => !r.ok && r.error.code === "rate_limited").length;
    expect(limited).toBeGreaterThanOrEqual(10);
    await new Promise((r) => setTimeout(r, 300));
    expect(seen.of("game:moved").length).toBe(30 - limited);
  });
});
