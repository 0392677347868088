import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { closeAll, ok, waitFor } from "../support/client.js";
import { startServer, type TestServer } from "../support/server.js";
import { befriend, socialPlayer } from "../support/social.js";
import { closeServerSockets, joinServer } from "../lobby/helpers.js";

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ seatGraceMs: 300 });
});
afterEach(() => {
  closeServerSockets();
  closeAll();
});
afterAll(() => server.close());

it("pushes location changes to friends as they join a server, a channel, a room and a game", async () => {
  const a = await socialPlayer(server, "loc_a");
  const b = await socialPlayer(server, "loc_b");
  const other = await socialPlayer(server, "loc_other");
  await befriend(a, b);
  await befriend(other, b);
  const moved = (predicate: (l: any) => boolean) =>
    waitFor(a.socket, "friend:moved", 3_000, (p) => p.user.id === b.id && predicate(p.location));

  const onServer = moved((l) => l.server === "eu-1" && l.channel === null);
  const game = await joinServer(server, b.login, "eu-1");
  await onServer;
  const inChannel = moved((l) => l.channel === 2);
  await ok(game.socket, "channel:join", { channel: 2 });
  await inChannel;
  const inRoom = moved((l) => l.roomId !== null && !l.inGame);
  const room = await ok(game.socket, "room:create", {
    title: "Loc",
    maxPlayers: 2,
    mode: "custom",
    visibility: "public",
  });
  expect((await inRoom).location.roomId).toBe(room.id);

  const otherGame = await joinServer(server, other.login, "eu-1");
  await ok(otherGame.socket, "room:join", { roomId: room.id });
  await ok(otherGame.socket, "room:ready", { ready: true });
  const inGame = moved((l) => l.inGame);
  await ok(game.socket, "room:start");
  await inGame;

  const list = await ok(a.socket, "friends:list");
  expect(list.friends.find((f: any) => f.id === b.id).location).toEqual({
    server: "eu-1",
    channel: 2,
    roomId: room.id,
    inGame: true,
  });
  const gone = moved((l) => l.server === null);
  game.socket.disconnect();
  await gone;
});
