import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { closeAll, connect, expectNothing, ok, waitFor } from "../support/client.js";
import { startServer, type TestServer } from "../support/server.js";
import { befriend, type SocialPlayer, socialGraph, socialPlayer } from "../support/social.js";

const GRACE_MS = 400;
let server: TestServer;
let n = 0;
const name = (p: string) => `${p}${++n}_${Math.random().toString(36).slice(2, 6)}`;

beforeAll(async () => {
  server = await startServer({ presenceGraceMs: GRACE_MS });
});
afterEach(() => closeAll());
afterAll(() => server.close());

describe("the login alert", () => {
  it("reaches exactly the online, unblocked friends and leaves the announcer out", async () => {
    const { a, b, c, d, e, f, g } = await socialGraph(server, name);
    for (const p of [b, c, d, e, f, g]) await ok(p.socket, "presence:announce");
    const toB = waitFor(b.socket, "friend:online");
    const toG = waitFor(g.socket, "friend:online");
    const silent = [a, c, d, e, f].map((p) => expectNothing(p.socket, "friend:online"));
    expect(await ok(a.socket, "presence:announce")).toEqual({ announced: true });
    expect(await toB).toEqual({
      user: { id: a.id, name: a.name },
      location: { server: null, channel: null, roomId: null, inGame: false },
    });
    expect((await toG).user.id).toBe(a.id);
    await Promise.all(silent);
  });

  it("sends nothing about a friend who appears offline", async () => {
    const { a, g } = await socialGraph(server, name);
    await ok(a.socket, "presence:announce");
    const nothing = expectNothing(a.socket, "friend:online");
    expect(await ok(g.socket, "presence:announce")).toEqual({ announced: false });
    await nothing;
    const list = await ok(a.socket, "friends:list");
    expect(list.friends.find((x: any) => x.id === g.id)).toMatchObject({ status: "offline", location: null });
  });

  it("takes identity from the session, never the payload", async () => {
    const a = await socialPlayer(server, name("a"), false);
    const b = await socialPlayer(server, name("b"));
    const c = await socialPlayer(server, name("c"));
    await befriend(a, b);
    const toB = waitFor(b.socket, "friend:online");
    const notC = expectNothing(c.socket, "friend:online");
    await ok(a.socket, "presence:announce", {
      userId: c.id,
      user: { id: c.id, name: c.name },
      friends: [c.id],
    });
    expect((await toB).user).toEqual({ id: a.id, name: a.name });
    await notC;
  });

  it("sends no second alert when announcing again, nor from a second tab", async () => {
    const a = await socialPlayer(server, name("a"), false);
    const b = await socialPlayer(server, name("b"));
    await befriend(a, b);
    const first = waitFor(b.socket, "friend:online");
    await ok(a.socket, "presence:announce");
    await first;
    const none = expectNothing(b.socket, "friend:online", 600);
    expect(await ok(a.socket, "presence:announce")).toEqual({ announced: false });
    const tab2 = await connect(server.url, a.token, "/");
    expect(await ok(tab2, "presence:announce")).toEqual({ announced: false });
    await none;
  });
});

describe("going offline", () => {
  async function pair(): Promise<[SocialPlayer, SocialPlayer]> {
    const a = await socialPlayer(server, name("a"));
    const b = await socialPlayer(server, name("b"));
    await befriend(a, b);
    return [a, b];
  }

  it("stays online while a second tab is open, then alerts after the grace period", async () => {
    const [a, b] = await pair();
    const tab2 = await connect(server.url, a.token, "/");
    const notYet = expectNothing(b.socket, "friend:offline", GRACE_MS + 600);
    a.socket.disconnect();
    await notYet;
    const offline = waitFor(b.socket, "friend:offline", GRACE_MS + 3_000);
    tab2.disconnect();
    expect(await offline).toEqual({ user: { id: a.id, name: a.name } });
    const list = await ok(b.socket, "friends:list");
    expect(list.friends.find((x: any) => x.id === a.id).status).toBe("offline");
  });

  it("sends nothing for a reload within the grace period", async () => {
    const [a, b] = await pair();
    const noOffline = expectNothing(b.socket, "friend:offline", GRACE_MS + 600);
    const noOnline = expectNothing(b.socket, "friend:online", GRACE_MS + 600);
    a.socket.disconnect();
    const reloaded = await connect(server.url, a.token, "/");
    expect(await ok(reloaded, "presence:announce")).toEqual({ announced: false });
    await Promise.all([noOffline, noOnline]);
  });

  it("alerts friends when a player switches to appear offline, and back", async () => {
    const [a, b] = await pair();
    const offline = waitFor(b.socket, "friend:offline");
    await ok(a.socket, "presence:appear_offline", { appearOffline: true });
    await offline;
    const online = waitFor(b.socket, "friend:online");
    await ok(a.socket, "presence:appear_offline", { appearOffline: false });
    expect((await online).user.id).toBe(a.id);
  });
});

describe("friend list with presence", () => {
  it("shows friends who were online before this client connected", async () => {
    const b = await socialPlayer(server, name("b"));
    const a = await socialPlayer(server, name("a"), false);
    await befriend(a, b);
    const list = await ok(a.socket, "friends:list");
    expect(list.friends).toEqual([
      {
        id: b.id,
        name: b.name,
        status: "online",
        location: { server: null, channel: null, roomId: null, inGame: false },
      },
    ]);
  });

  it("hides presence both ways between a blocked pair", async () => {
    const a = await socialPlayer(server, name("a"));
    const b = await socialPlayer(server, name("b"));
    await befriend(a, b);
    await ok(a.socket, "friends:block", { userId: b.id });
    const nothing = expectNothing(a.socket, "friend:online");
    const nothingB = expectNothing(b.socket, "friend:offline");
    b.socket.disconnect();
    const back = await connect(server.url, b.token, "/");
    await ok(back, "presence:announce");
    await Promise.all([nothing, nothingB]);
    expect((await ok(a.socket, "friends:list")).friends).toEqual([]);
    expect((await ok(back, "friends:list")).friends).toEqual([]);
  });
});
