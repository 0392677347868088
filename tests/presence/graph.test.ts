import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { closeAll, expectNothing, ok, waitFor } from "../support/client.js";
import { startServer, type TestServer } from "../support/server.js";
import { socialGraph } from "../support/social.js";
import { closeServerSockets, joinServer } from "../lobby/helpers.js";

const GRACE_MS = 300;
let server: TestServer;
let n = 0;
const name = (p: string) => `g${p}${++n}_${Math.random().toString(36).slice(2, 6)}`;

beforeAll(async () => {
  server = await startServer({ presenceGraceMs: GRACE_MS, seatGraceMs: 300 });
});
afterEach(() => {
  closeServerSockets();
  closeAll();
});
afterAll(() => server.close());

it("moves and the offline alert reach exactly A's online, unblocked friends in the graph", async () => {
  const { a, b, c, d, e, f, g } = await socialGraph(server, name);
  for (const p of [a, b, c, d, e, f, g]) await ok(p.socket, "presence:announce");
  const fromA = (p: any) => p.user.id === a.id;

  // A joins a game server: B and G (who only hides herself) hear it; nobody else does.
  const movedB = waitFor(b.socket, "friend:moved", 4_000, fromA);
  const movedG = waitFor(g.socket, "friend:moved", 4_000, fromA);
  const noMove = [a, c, d, e, f].map((p) => expectNothing(p.socket, "friend:moved", 800));
  const game = await joinServer(server, a.login, "eu-1");
  expect((await movedB).location).toMatchObject({ server: "eu-1", roomId: null, inGame: false });
  expect((await movedG).location.server).toBe("eu-1");
  await Promise.all(noMove);

  // G appears offline, so her own moves reach nobody, not even her friend A.
  const noMoveOfG = [a, b, c, d, e, f].map((p) => expectNothing(p.socket, "friend:moved", 800));
  await joinServer(server, g.login, "eu-1");
  await Promise.all(noMoveOfG);

  // A leaves for good: after the grace period B and G are told, nobody else.
  const offB = waitFor(b.socket, "friend:offline", GRACE_MS + 4_000, fromA);
  const offG = waitFor(g.socket, "friend:offline", GRACE_MS + 4_000, fromA);
  const noOff = [c, d, e, f].map((p) => expectNothing(p.socket, "friend:offline", GRACE_MS + 1_000));
  game.socket.disconnect();
  a.socket.disconnect();
  expect(await offB).toEqual({ user: { id: a.id, name: a.name } });
  await offG;
  await Promise.all(noOff);

  // Each one's list agrees: B sees A offline; E (blocker) and F (stranger) do not see A at all.
  expect((await ok(b.socket, "friends:list")).friends).toEqual([
    { id: a.id, name: a.name, status: "offline", location: null },
  ]);
  expect((await ok(e.socket, "friends:list")).friends).toEqual([]);
  expect((await ok(f.socket, "friends:list")).friends).toEqual([]);
  const listC = await ok(c.socket, "friends:list");
  expect(listC.incoming.map((r: any) => r.user.id)).toEqual([a.id]);
  const listD = await ok(d.socket, "friends:list");
  expect(listD.outgoing.map((r: any) => r.user.id)).toEqual([a.id]);
});
