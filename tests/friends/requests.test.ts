import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { closeAll, connect, expectNothing, ok, request, waitFor } from "../support/client.js";
import { startServer, type TestServer } from "../support/server.js";
import { befriend, socialPlayer } from "../support/social.js";

let server: TestServer;
let n = 0;
const name = (p: string) => `${p}${++n}_${Math.random().toString(36).slice(2, 6)}`;

beforeAll(async () => {
  server = await startServer();
});
afterEach(() => closeAll());
afterAll(() => server.close());

describe("friend requests", () => {
  it("request, live notice, accept, and both lists agree", async () => {
    const a = await socialPlayer(server, name("a"));
    const b = await socialPlayer(server, name("b"));
    const received = waitFor(b.socket, "friend:requested");
    expect(await ok(a.socket, "friends:request", { username: b.name.toUpperCase() })).toEqual({
      outcome: "requested",
    });
    expect((await received).user).toEqual({ id: a.id, name: a.name });
    const listA = await ok(a.socket, "friends:list");
    expect(listA.outgoing.map((r: any) => r.user.id)).toEqual([b.id]);
    expect((await ok(b.socket, "friends:list")).incoming.map((r: any) => r.user.id)).toEqual([a.id]);

    const accepted = waitFor(a.socket, "friend:accepted");
    const view = await ok(b.socket, "friends:accept", { userId: a.id });
    expect(view).toMatchObject({ id: a.id, status: "online" });
    expect(await accepted).toMatchObject({ id: b.id, name: b.name, status: "online" });
    expect((await ok(a.socket, "friends:list")).friends.map((f: any) => f.id)).toEqual([b.id]);
    expect((await ok(a.socket, "friends:list")).outgoing).toEqual([]);
  });

  it("accepts theirs when you ask someone who already asked you", async () => {
    const a = await socialPlayer(server, name("a"));
    const b = await socialPlayer(server, name("b"));
    await ok(a.socket, "friends:request", { username: b.name });
    const accepted = waitFor(a.socket, "friend:accepted");
    expect(await ok(b.socket, "friends:request", { username: a.name })).toEqual({ outcome: "accepted" });
    expect((await accepted).id).toBe(b.id);
    expect((await ok(b.socket, "friends:list")).incoming).toEqual([]);
  });

  it("refuses with codes: self, already friends, already pending, no such request", async () => {
    const a = await socialPlayer(server, name("a"));
    const b = await socialPlayer(server, name("b"));
    const c = await socialPlayer(server, name("c"));
    expect(await request(a.socket, "friends:request", { username: a.name })).toMatchObject({
      error: { code: "cannot_befriend_self" },
    });
    await befriend(a, b);
    expect(await request(a.socket, "friends:request", { username: b.name })).toMatchObject({
      error: { code: "already_friends" },
    });
    await ok(a.socket, "friends:request", { username: c.name });
    expect(await request(a.socket, "friends:request", { username: c.name })).toMatchObject({
      error: { code: "already_pending" },
    });
    expect(await request(c.socket, "friends:accept", { userId: b.id })).toMatchObject({
      error: { code: "request_not_found" },
    });
    expect(await request(a.socket, "friends:request", { username: "" })).toMatchObject({
      error: { code: "invalid_payload", field: "username" },
    });
  });

  it("declines, cancels and removes, telling the other party", async () => {
    const a = await socialPlayer(server, name("a"));
    const b = await socialPlayer(server, name("b"));
    await ok(a.socket, "friends:request", { username: b.name });
    const declined = waitFor(a.socket, "friend:request_declined");
    await ok(b.socket, "friends:decline", { userId: a.id });
    expect((await declined).user.id).toBe(b.id);

    await ok(a.socket, "friends:request", { username: b.name });
    const cancelled = waitFor(b.socket, "friend:request_cancelled");
    await ok(a.socket, "friends:cancel", { userId: b.id });
    expect((await cancelled).user.id).toBe(a.id);
    expect((await ok(b.socket, "friends:list")).incoming).toEqual([]);

    await befriend(a, b);
    const removed = waitFor(b.socket, "friend:removed");
    await ok(a.socket, "friends:remove", { userId: b.id });
    expect((await removed).user.id).toBe(a.id);
    expect((await ok(b.socket, "friends:list")).friends).toEqual([]);
    expect(await request(a.socket, "friends:remove", { userId: b.id })).toMatchObject({
      error: { code: "not_friends" },
    });
  });

  it("answers the same request sent from two tabs at once with one request and already_pending", async () => {
    const a = await socialPlayer(server, name("a"));
    const b = await socialPlayer(server, name("b"));
    const tab2 = await connect(server.url, a.token, "/");
    const replies = await Promise.all(
      [a.socket, tab2, a.socket, tab2].map((s) => request(s, "friends:request", { username: b.name })),
    );
    const outcomes = replies.map((r: any) => (r.ok ? r.data.outcome : r.error.code)).sort();
    expect(outcomes).toEqual(["already_pending", "already_pending", "already_pending", "requested"]);
    expect((await ok(b.socket, "friends:list")).incoming.map((r: any) => r.user.id)).toEqual([a.id]);
  });

  it("shows pending requests at the next login to a player who was offline", async () => {
    const a = await socialPlayer(server, name("a"));
    const offline = await server.register(name("off"));
    await ok(a.socket, "friends:request", { username: offline.user.name });
    const later = await connect(server.url, offline.token, "/");
    const list = await ok(later, "friends:list");
    expect(list.incoming.map((r: any) => r.user)).toEqual([{ id: a.id, name: a.name }]);
  });
});

describe("blocking", () => {
  it("ends friendship and requests, and stops new requests both ways", async () => {
    const a = await socialPlayer(server, name("a"));
    const b = await socialPlayer(server, name("b"));
    await befriend(a, b);
    const removed = waitFor(b.socket, "friend:removed");
    await ok(a.socket, "friends:block", { userId: b.id });
    expect((await removed).user.id).toBe(a.id);
    expect((await ok(a.socket, "friends:list")).blocked).toEqual([{ id: b.id, name: b.name }]);
    const noRequest = expectNothing(a.socket, "friend:requested");
    expect(await request(b.socket, "friends:request", { username: a.name })).toMatchObject({
      error: { code: "user_not_found" },
    });
    expect(await request(a.socket, "friends:request", { username: b.name })).toMatchObject({
      error: { code: "user_not_found" },
    });
    await noRequest;
    await ok(a.socket, "friends:unblock", { userId: b.id });
    expect(await ok(b.socket, "friends:request", { username: a.name })).toEqual({ outcome: "requested" });
  });

  it("gives identical replies for an unknown name and a player who blocked you", async () => {
    const a = await socialPlayer(server, name("a"));
    const blocker = await socialPlayer(server, name("blk"));
    await ok(blocker.socket, "friends:block", { userId: a.id });
    const unknown = await request(a.socket, "friends:request", { username: "nobody_at_all" });
    const blocked = await request(a.socket, "friends:request", { username: blocker.name });
    expect(blocked).toEqual(unknown);
    expect(unknown.ok).toBe(false);
  });
});

describe("limits", () => {
  it("refuses too many pending requests and too many per hour", async () => {
    const limited = await startServer({ friendLimits: { maxPending: 2, perHour: 3 } });
    try {
      const a = await socialPlayer(limited, name("a"));
      const targets = [];
      for (let i = 0; i < 3; i++) targets.push(await limited.register(name("t")));
      await ok(a.socket, "friends:request", { username: targets[0]!.user.name });
      await ok(a.socket, "friends:request", { username: targets[1]!.user.name });
      expect(await request(a.socket, "friends:request", { username: targets[2]!.user.name })).toMatchObject({
        error: { code: "too_many_pending" },
      });
      await ok(a.socket, "friends:cancel", { userId: targets[0]!.user.id });
      expect(await request(a.socket, "friends:request", { username: targets[2]!.user.name })).toMatchObject({
        error: { code: "too_many_requests" },
      });
    } finally {
      closeAll();
      await limited.close();
    }
  });
});
