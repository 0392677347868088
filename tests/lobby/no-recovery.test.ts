import { io, type Socket } from "socket.io-client";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { closeAll, expectNothing, ok, waitFor } from "../support/client.js";
import { startServer, type TestServer } from "../support/server.js";
import { closeServerSockets, newPlayer } from "./helpers.js";

// CONNECTION_RECOVERY=off: nothing is replayed after a drop, so the client connects afresh and
// the welcome alone must bring back the seat, the channel and its chat.
const GRACE_MS = 3_000;
let server: TestServer;
const opened: Socket[] = [];

beforeAll(async () => {
  server = await startServer({ connectionRecovery: false, seatGraceMs: GRACE_MS });
});
afterEach(() => {
  for (const socket of opened.splice(0)) socket.close();
  closeServerSockets();
  closeAll();
});
afterAll(() => server?.close());

it("without recovery, a dropped player connects afresh and the welcome restores seat, channel and chat", async () => {
  const host = await newPlayer(server);
  const login = await server.register(`norec_${Math.random().toString(36).slice(2, 8)}`);
  const socket = io(`${server.url}/servers/eu-1`, {
    auth: { token: login.token },
    transports: ["websocket"],
    forceNew: true,
    reconnectionDelay: 100,
    reconnectionDelayMax: 300,
  });
  opened.push(socket);
  await waitFor(socket, "server:welcome", 5_000);
  const room = await ok(host.socket, "room:create", {
    title: "No replay",
    maxPlayers: 4,
    mode: "co_op",
    visibility: "public",
  });
  await ok(socket, "channel:join", { channel: 2 });
  await ok(socket, "channel:chat", { text: "before the drop" });
  await ok(socket, "room:join", { roomId: room.id });

  const noFree = expectNothing(host.socket, "room:seat_freed", GRACE_MS);
  const welcomeAgain = waitFor(socket, "server:welcome", 10_000);
  const reconnected = new Promise<boolean>((resolve) =>
    socket.once("connect", () => resolve(socket.recovered)),
  );
  socket.io.engine.close(); // a network failure: the client reconnects by itself

  expect(await reconnected).toBeFalsy(); // not recovered: a fresh connection
  const welcome = await welcomeAgain;
  expect(welcome.restored.channel).toBe(2);
  expect(welcome.restored.history.map((m: { text: string }) => m.text)).toEqual(["before the drop"]);
  expect(welcome.restored.room.id).toBe(room.id);
  // Seated and in the room's socket room without joining again.
  const line = waitFor(socket, "room:message_posted", 3_000);
  await ok(host.socket, "room:chat", { text: "welcome back" });
  expect((await line).text).toBe("welcome back");
  await noFree;
});
