import { ConnectCost, Limits } from "@rally/protocol";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { closeAll, connect, connectError, ok, request } from "../support/client.js";
import { DEFAULT_SOCKET_LIMITS } from "../../apps/server/src/config.js";
import { startServer, type TestServer } from "../support/server.js";
import { closeServerSockets, newPlayer } from "../lobby/helpers.js";
import { uniqueName } from "./helpers.js";

let server: TestServer;

beforeAll(async () => {
  server = await startServer();
});
afterEach(() => {
  closeAll();
  closeServerSockets();
});
afterAll(() => server.close());

describe("connections per player (issue 9, finding 7)", () => {
  it("refuses a connection beyond the cap with too_many_connections, per namespace", async () => {
    const { token } = await server.register(uniqueName("tabs"));
    const tabs = [];
    for (let i = 0; i < Limits.maxSocketsPerUser; i++) tabs.push(await connect(server.url, token));
    const refused = await connectError(server.url, token);
    expect(refused.message).toBe("too_many_connections");
    expect(refused.data).toMatchObject({ code: "too_many_connections" });
    // another namespace counts on its own
    const game = await connect(server.url, token, "/servers/eu-1");
    expect(game.connected).toBe(true);
    // closing a tab frees a place
    tabs[0]!.close();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const again = await connect(server.url, token);
    expect(again.connected).toBe(true);
  });

  it("holds under concurrent handshakes", async () => {
    const { token } = await server.register(uniqueName("tabs"));
    const attempts = await Promise.allSettled(
      Array.from({ length: 12 }, () => connect(server.url, token, "/servers/na-1")),
    );
    const accepted = attempts.filter((a) => a.status === "fulfilled");
    const refused = attempts.filter((a) => a.status === "rejected") as PromiseRejectedResult[];
    expect(accepted).toHaveLength(Limits.maxSocketsPerUser);
    expect(refused.map((r) => r.reason.message)).toEqual(
      Array(12 - Limits.maxSocketsPerUser).fill("too_many_connections"),
    );
  });

  it("refuses a storm of handshakes from one player with rate_limited and a retry time", async () => {
    // A slow refill, so the count does not depend on how fast this machine connects.
    const slow = await startServer({
      socketLimits: { ...DEFAULT_SOCKET_LIMITS, userBudget: { burst: 200, perSecond: 1 } },
    });
    try {
      const { token } = await slow.register(uniqueName("storm"));
      const outcomes: string[] = [];
      let retryAfterMs = 0;
      for (let i = 0; i < 20; i++) {
        const socket = await connect(slow.url, token).catch((error) => {
          retryAfterMs = error.data?.retryAfterMs ?? retryAfterMs;
          return error.message as string;
        });
        if (typeof socket === "string") outcomes.push(socket);
        else {
          outcomes.push("connected");
          socket.close();
        }
      }
      // 200 units at ConnectCost (15) a handshake: 13 get in, the rest wait for the refill.
      const admitted = Math.floor(200 / ConnectCost);
      expect(outcomes.slice(0, admitted)).toEqual(Array(admitted).fill("connected"));
      expect(outcomes.slice(admitted + 1)).toEqual(Array(20 - admitted - 1).fill("rate_limited"));
      expect(retryAfterMs).toBeGreaterThan(0);
    } finally {
      await slow.close();
    }
  });

  it("takes MAX_SOCKETS_PER_USER from the configuration", async () => {
    const { loadConfig } = await import("../../apps/server/src/config.js");
    const config = loadConfig({ SESSION_SECRET: "x".repeat(32), MAX_SOCKETS_PER_USER: "2" });
    expect(config.socketLimits.maxSocketsPerUser).toBe(2);
    expect(() => loadConfig({ SESSION_SECRET: "x".repeat(32), MAX_SOCKETS_PER_USER: "0" })).toThrow(
      /MAX_SOCKETS_PER_USER/,
    );
  });

  it("takes TURN_SLICE_MS, TURN_QUEUE_LIMIT and CONNECTION_RECOVERY from the configuration, and names a bad value", async () => {
    const { loadConfig } = await import("../../apps/server/src/config.js");
    const secret = { SESSION_SECRET: "x".repeat(32) };
    expect(loadConfig(secret)).toMatchObject({ connectionRecovery: true, socketLimits: { turnSliceMs: 20 } });
    const set = loadConfig({ ...secret, TURN_SLICE_MS: "5", CONNECTION_RECOVERY: "off" });
    expect(set).toMatchObject({ connectionRecovery: false, socketLimits: { turnSliceMs: 5 } });
    expect(() => loadConfig({ ...secret, TURN_SLICE_MS: "-1" })).toThrow(/TURN_SLICE_MS/);
    expect(loadConfig({ ...secret, TURN_QUEUE_LIMIT: "50" }).socketLimits.turnQueueLimit).toBe(50);
    expect(() => loadConfig({ ...secret, TURN_QUEUE_LIMIT: "0" })).toThrow(/TURN_QUEUE_LIMIT/);
    expect(() => loadConfig({ ...secret, CONNECTION_RECOVERY: "maybe" })).toThrow(
      /CONNECTION_RECOVERY.*"on" or "off"/,
    );
  });
});

describe("room passwords (issue 9, finding 3)", () => {
  async function privateRoom() {
    const host = await newPlayer(server, "na-1", "host");
    const room = await ok(host.socket, "room:create", {
      title: "locked",
      maxPlayers: 8,
      mode: "custom",
      visibility: "private",
      password: "right-one",
    });
    return room.id as string;
  }

  it("limits wrong guesses per player, then refuses even the right password for a while", async () => {
    const roomId = await privateRoom();
    const guesser = await newPlayer(server, "na-1", "guess");
    const codes = [];
    for (let i = 0; i < Limits.roomPasswordTriesPerUser + 2; i++) {
      const reply = await request(guesser.socket, "room:join", { roomId, password: `wrong${i}` });
      codes.push(reply.ok ? "ok" : reply.error.code);
    }
    expect(codes).toEqual([
      ...Array(Limits.roomPasswordTriesPerUser).fill("wrong_password"),
      "rate_limited",
      "rate_limited",
    ]);
    const right = await request(guesser.socket, "room:join", { roomId, password: "right-one" });
    expect(right).toMatchObject({ ok: false, error: { code: "rate_limited" } });
    expect(right.ok ? 0 : right.error.retryAfterMs).toBeGreaterThan(0);
    // someone else still gets in with the right password
    const friend = await newPlayer(server, "na-1", "ok");
    expect(await request(friend.socket, "room:join", { roomId, password: "right-one" })).toMatchObject({
      ok: true,
    });
  });

  it("limits wrong guesses per room across players, and parallel guesses cannot slip past", async () => {
    const roomId = await privateRoom();
    const guessers = await Promise.all(Array.from({ length: 6 }, () => newPlayer(server, "na-1", "g")));
    const replies = await Promise.all(
      guessers.flatMap((g, n) =>
        Array.from({ length: 5 }, (_, i) =>
          request(g.socket, "room:join", { roomId, password: `w${n}-${i}` }),
        ),
      ),
    );
    const wrong = replies.filter((r) => !r.ok && r.error.code === "wrong_password").length;
    const limited = replies.filter((r) => !r.ok && r.error.code === "rate_limited").length;
    expect(wrong).toBe(Limits.roomPasswordTriesPerRoom);
    expect(wrong + limited).toBe(30);
  });
});

describe("chat limit as a token bucket (issue 11)", () => {
  it("after a burst of five, one message a second later is accepted", async () => {
    const player = await newPlayer(server, "asia-1", "chat");
    await ok(player.socket, "channel:join", { channel: 1 });
    // Sent at once, so a slow machine cannot spread them over a refill.
    const burst = await Promise.all(
      Array.from({ length: Limits.chatBurst + 2 }, (_, i) =>
        request(player.socket, "channel:chat", { text: `b${i}` }),
      ),
    );
    expect(burst.filter((r) => r.ok).length).toBeGreaterThanOrEqual(Limits.chatBurst);
    const refused = burst.filter((r) => !r.ok);
    expect(refused.length).toBeGreaterThan(0);
    for (const reply of refused) expect(reply).toMatchObject({ error: { code: "rate_limited" } });
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(await request(player.socket, "channel:chat", { text: "one second later" })).toMatchObject({
      ok: true,
    });
  });
});
