import type { Ack } from "@rally/protocol";
import type { Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeAll, connect, ok, request } from "../support/client.js";
import { startServer, type TestServer } from "../support/server.js";
import { closeServerSockets, connectServer, type Player } from "../lobby/helpers.js";
import { bystanders, chatRoundTrip, percentile, uniqueName } from "./helpers.js";

// Finding 2 of issue 9: 5,000 channel:join from one socket stalled everyone for 22 s and dropped
// 20 bystanders. Each costly event class floods from one player (reconnecting whenever it is cut
// off) while eight bystanders chat; bystanders' round trips are printed, counts are asserted.
let server: TestServer;
let watchers: Player[];
const FLOOD_MS = 1_500;
/** Chat lines the bystanders send during each flood; each is delivered to the seven others. */
const CHATS = 12;

beforeAll(async () => {
  server = await startServer();
  watchers = await bystanders(server, 8);
});
afterAll(async () => {
  closeAll();
  closeServerSockets();
  await server.close();
});

interface FloodOutcome {
  sent: number;
  rateLimited: number;
  disconnects: number;
  codes: Set<string>;
}

/**
 * Emits `make(i)` 20 at a time every 5 ms (4,000 a second, over a hundred times any budget) while
 * `going()`, reconnecting whenever cut off. The flooder runs in this process, so its own CPU work
 * weighs on the bystanders' round trips too.
 */
async function flood(
  open: () => Promise<Socket>,
  event: string,
  make: (i: number) => unknown,
  going: () => boolean,
): Promise<FloodOutcome> {
  const outcome: FloodOutcome = { sent: 0, rateLimited: 0, disconnects: 0, codes: new Set() };
  while (going()) {
    const socket = await open().catch((error: { message: string }) => {
      outcome.codes.add(`connect:${error.message}`);
      return null;
    });
    if (!socket) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      continue;
    }
    const cut = new Promise<void>((resolve) =>
      socket.once("disconnect", (reason) => {
        if (reason === "io server disconnect") outcome.disconnects++;
        resolve();
      }),
    );
    let connected = true;
    void cut.then(() => {
      connected = false;
    });
    while (connected && going()) {
      for (let i = 0; i < 20; i++) {
        outcome.sent++;
        socket.emit(event, make(outcome.sent), (reply: Ack<unknown>) => {
          if (reply.ok) return;
          outcome.codes.add(reply.error.code);
          if (reply.error.code === "rate_limited") outcome.rateLimited++;
        });
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    socket.close();
  }
  return outcome;
}

/**
 * Bystanders send `count` chat lines in turn during the flood, each at most once a second (within
 * the chat limit); returns the round trips.
 */
async function chatDuring(count: number, label: string): Promise<number[]> {
  const rtts: number[] = [];
  const lastSent = new Map<Player, number>();
  for (let turn = 0; turn < count; turn++) {
    const from = watchers[turn % watchers.length]!;
    const wait = (lastSent.get(from) ?? 0) + 1_050 - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    lastSent.set(from, Date.now());
    const others = watchers.filter((w) => w !== from);
    rtts.push(await chatRoundTrip(from, others, `${label} ${turn}`));
    await new Promise((resolve) => setTimeout(resolve, 60));
  }
  return rtts;
}

async function run(
  label: string,
  open: () => Promise<Socket>,
  event: string,
  make: (i: number) => unknown,
): Promise<FloodOutcome> {
  const started = Date.now();
  let chatting = true;
  const chats = chatDuring(CHATS, label).finally(() => {
    chatting = false;
  });
  // The flood lasts while the bystanders chat, and at least FLOOD_MS.
  const going = () => chatting || Date.now() - started < FLOOD_MS;
  const [outcome, rtts] = await Promise.all([flood(open, event, make, going), chats]);
  console.log(
    `flood ${label}: sent ${outcome.sent}, rate_limited ${outcome.rateLimited}, disconnected ${outcome.disconnects}x; ` +
      `bystander chat round trip p50 ${percentile(rtts, 50).toFixed(1)} ms, p99 ${percentile(rtts, 99).toFixed(1)} ms (${rtts.length} messages)`,
  );
  expect(outcome.rateLimited).toBeGreaterThan(0);
  expect(outcome.disconnects).toBeGreaterThan(0);
  expect(outcome.codes.has("internal")).toBe(false);
  expect(rtts).toHaveLength(CHATS);
  // nobody else was dropped
  for (const watcher of watchers) expect(watcher.socket.connected).toBe(true);
  return outcome;
}

const gameSocket = (token: string) => () => connect(server.url, token, "/servers/eu-1");

describe("a flood from one player leaves the others served", () => {
  it("channel:join alternating two channels", async () => {
    const { token } = await server.register(uniqueName("fl"));
    await run("channel:join", gameSocket(token), "channel:join", (i) => ({ channel: 1 + (i % 2) }));
  });

  it("friends:request to ever new names", async () => {
    const { token } = await server.register(uniqueName("fl"));
    await run(
      "friends:request",
      () => connect(server.url, token),
      "friends:request",
      (i) => ({
        username: `nobody${i}`,
      }),
    );
  });

  it("room:create of private rooms (a password hash each)", async () => {
    const { token } = await server.register(uniqueName("fl"));
    await run("room:create", gameSocket(token), "room:create", (i) => ({
      title: `r${i}`,
      maxPlayers: 4,
      mode: "custom",
      visibility: "private",
      password: `pw${i}`,
    }));
  });

  it("room:join with wrong passwords", async () => {
    const host = (await connectServer(server, (await server.register(uniqueName("ho"))).token)).socket;
    const room = await ok(host, "room:create", {
      title: "locked",
      maxPlayers: 4,
      mode: "custom",
      visibility: "private",
      password: "secret",
    });
    const { token } = await server.register(uniqueName("fl"));
    await run("room:join", gameSocket(token), "room:join", (i) => ({
      roomId: room.id,
      password: `guess${i}`,
    }));
  });

  it("unknown events with oversized payloads", async () => {
    const { token } = await server.register(uniqueName("fl"));
    const junk = "z".repeat(20_000);
    const outcome = await run(
      "unknown",
      () => connect(server.url, token),
      "no:such_event",
      () => junk,
    );
    expect(outcome.codes).toContain("unknown_event");
  });

  it("channel:chat", async () => {
    const { token } = await server.register(uniqueName("fl"));
    const open = async () => {
      const socket = await gameSocket(token)();
      // after the first round the user's budget may still be spent: then the chat is refused too
      await request(socket, "channel:join", { channel: 2 });
      return socket;
    };
    await run("channel:chat", open, "channel:chat", (i) => ({ text: `spam ${i}` }));
  });
});
