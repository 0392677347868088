import type { Socket as ServerSocket } from "socket.io";
import { describe, expect, it } from "vitest";
import { FloodGuard } from "../../apps/server/src/realtime/budget.js";
import { connect, ok } from "../support/client.js";
import { newPlayer, useLobbyServer } from "../lobby/helpers.js";

// Issue 11: heap per player. Listeners made per connection (a closure per event, capturing the
// socket) cost about 14 KB a player; every namespace's listeners are now built once and shared.
const server = useLobbyServer();

function serverSocket(nsp: string, userId: string): ServerSocket {
  const found = [...server.app.io.of(nsp).sockets.values()].find((s) => s.data.userId === userId);
  if (!found) throw new Error(`no socket of ${userId} on ${nsp}`);
  return found;
}

/** Every listener of the socket, by event, as the functions themselves. */
const listenersOf = (socket: ServerSocket) =>
  Object.fromEntries(socket.eventNames().map((event) => [String(event), socket.listeners(String(event))]));

describe("a connection allocates no listeners of its own", () => {
  it("shares every listener between sockets of `/` and of a game server", async () => {
    const [a, b] = [await newPlayer(server), await newPlayer(server)];
    await connect(server.url, a.login.token);
    await connect(server.url, b.login.token);
    for (const nsp of ["/", "/servers/eu-1"]) {
      const [first, second] = [serverSocket(nsp, a.id), serverSocket(nsp, b.id)];
      expect(Object.keys(listenersOf(first)).length).toBeGreaterThan(5);
      const theirs = listenersOf(second);
      expect(Object.keys(theirs)).toEqual(Object.keys(listenersOf(first)));
      // The very same functions, not equal copies.
      for (const [event, mine] of Object.entries(listenersOf(first))) {
        expect(theirs[event]?.length, `${nsp} ${event}`).toBe(mine.length);
        for (const [i, fn] of mine.entries()) expect(theirs[event]?.[i], `${nsp} ${event}`).toBe(fn);
      }
    }
  });

  it("still answers each socket as itself: its game server and its user", async () => {
    const [a, b] = [await newPlayer(server), await newPlayer(server, "na-1")];
    const joined = await ok(a.socket, "channel:join", { channel: 1 });
    expect(joined.members.map((m: { id: string }) => m.id)).toEqual([a.id]);
    const other = await ok(b.socket, "channel:join", { channel: 1 });
    expect(other.members.map((m: { id: string }) => m.id)).toEqual([b.id]);
  });
});

describe("flood guard bookkeeping", () => {
  const limits = {
    socket: { burst: 10, perSecond: 10 },
    user: { burst: 10, perSecond: 10 },
    strikes: 2,
    strikeWindowMs: 1_000,
  };

  it("releases a socket's budget once, however often its disconnect is reported", () => {
    const guard = new FloodGuard(limits);
    const first = guard.open("u", 0);
    const second = guard.open("u", 0);
    guard.release(first);
    guard.release(first);
    // The user still has a socket: the budget is remembered.
    expect(guard.trackedUsers(10_000)).toBe(1);
    guard.release(second);
    expect(guard.trackedUsers(10_000)).toBe(0);
  });

  it("counts strikes from the first refusal, as a bucket made at connect time would", () => {
    const budget = new FloodGuard(limits).open("u", 0);
    expect(budget.strike(5_000)).toBe(false);
    expect(budget.strike(5_000)).toBe(false);
    expect(budget.strike(5_000)).toBe(true);
    expect(budget.strike(5_600)).toBe(false);
  });
});
