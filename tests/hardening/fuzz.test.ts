import { adminSchemas, inboundSchemas, lobbySchemas, socialSchemas } from "@rally/protocol";
import fc from "fast-check";
import type { Socket } from "socket.io-client";
import { afterAll, beforeAll, expect, it } from "vitest";
import { DEFAULT_SOCKET_LIMITS } from "../../apps/server/src/config.js";
import { closeAll, connect } from "../support/client.js";
import { startServer, type TestServer } from "../support/server.js";
import { closeServerSockets, type Player } from "../lobby/helpers.js";
import { bystanders, chatRoundTrip, uniqueName } from "./helpers.js";

// Arbitrary JSON (deep nesting, long strings, __proto__ keys, wrong types, binary, missing and
// extra arguments) for every inbound event of every namespace. Properties: exactly one ack when a
// callback is passed, never `internal`, the process stays up, and two other players still chat.
const TIME_LIMIT_MS = 30_000;

interface Target {
  socket: Socket;
  nsp: string;
  /** The namespace's own events; `everywhere` also includes every other inbound event. */
  own: string[];
}

let server: TestServer;
let targets: Target[];
let watchers: Player[];
/** Ack id -> the replies that arrived for it (raw packets, counted on the wire). */
const replies = new Map<number, unknown[]>();
const expected = new Set<number>();
let nextAckId = 100_000;

beforeAll(async () => {
  // Budgets too large to matter: the fuzz is after the handlers, not the flood guard.
  const budget = { burst: 1_000_000, perSecond: 1_000_000 };
  server = await startServer({
    socketLimits: {
      ...DEFAULT_SOCKET_LIMITS,
      socketBudget: budget,
      userBudget: budget,
      floodStrikes: 1_000_000,
    },
  });
  watchers = await bystanders(server, 2);
  const admin = await server.admin(uniqueName("fzadm"));
  const social = await connect(server.url, admin.token, "/");
  const game = await connect(server.url, admin.token, "/servers/na-1");
  const adminNsp = await connect(server.url, admin.token, "/admin");
  targets = [
    { socket: social, nsp: "/", own: Object.keys(socialSchemas) },
    { socket: game, nsp: "/servers/na-1", own: Object.keys(lobbySchemas) },
    { socket: adminNsp, nsp: "/admin", own: Object.keys(adminSchemas) },
  ];
  for (const target of targets) {
    const prefix = target.nsp === "/" ? "3" : `3${target.nsp},`;
    target.socket.io.engine.on("message", (data: unknown) => {
      if (typeof data !== "string" || !data.startsWith(prefix)) return;
      const match = /^(\d+)\[/.exec(data.slice(prefix.length));
      if (!match) return;
      const id = Number(match[1]);
      const list = replies.get(id) ?? [];
      list.push(JSON.parse(data.slice(prefix.length + match[1]!.length))[0]);
      replies.set(id, list);
    });
  }
});
afterAll(async () => {
  closeAll();
  closeServerSockets();
  await server.close();
});

/** Values a handler might half-accept, so the fuzz gets past the first schema check now and then. */
const plausible = fc.constantFrom<unknown>(
  1,
  2,
  0,
  -1,
  1.5,
  1e308,
  "",
  "x".repeat(400),
  "nul\u0000byte",
  "\u0000",
  "bad\ud800surrogate",
  "asia-1",
  "custom",
  "private",
  "public",
  "invite_only",
  "info",
  "critical",
  true,
  false,
  null,
  { kind: "all" },
  { kind: "server", server: "asia-1" },
  { kind: "channel", server: "asia-1", channel: 1 },
  new Date(Date.now() + 60_000).toISOString(),
  "2020-01-01T00:00:00Z",
);
const fields = [
  "channel",
  "text",
  "roomId",
  "password",
  "title",
  "maxPlayers",
  "mode",
  "visibility",
  "userId",
  "username",
  "ready",
  "appearOffline",
  "id",
  "server",
  "countdownSeconds",
  "severity",
  "scope",
  "startsAt",
  "expiresAt",
  "kind",
];

/** JSON text (not values): lets the fuzz send what JSON.stringify never writes. */
const jsonText: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v) ?? "null") },
  {
    weight: 4,
    arbitrary: fc
      .dictionary(fc.constantFrom(...fields), fc.oneof(plausible, fc.jsonValue({ maxDepth: 2 })), {
        maxKeys: 6,
      })
      .map((v) => JSON.stringify(v)),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: 1, max: 7_000 }), fc.constantFrom("[", '{"a":'))
      .map(([depth, open]) => open.repeat(depth) + "1" + (open === "[" ? "]" : "}").repeat(depth)),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(...fields), fc.jsonValue({ maxDepth: 2 }))
      .map(
        ([field, v]) =>
          `{"__proto__":{"${field}":${JSON.stringify(v) ?? "1"}},"constructor":{"prototype":{"x":1}}}`,
      ),
  },
  { weight: 1, arbitrary: fc.integer({ min: 10_000, max: 40_000 }).map((n) => `"${"y".repeat(n)}"`) },
);

/** Every inbound event of every namespace: events added later are fuzzed without editing this file. */
const everywhere = Object.keys(inboundSchemas);

const sendSpec = fc.record({
  target: fc.integer({ min: 0, max: 2 }),
  eventIndex: fc.nat(),
  /** Mostly the namespace's own events; sometimes any event, sent to the wrong namespace too. */
  anyEvent: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
  unknownEvent: fc.boolean().map((b) => b && Math.random() < 0.1),
  args: fc.array(jsonText, { minLength: 0, maxLength: 3 }),
  withAck: fc.boolean(),
  binary: fc.option(fc.uint8Array({ maxLength: 64 }), { freq: 8 }),
});

type Spec = typeof sendSpec extends fc.Arbitrary<infer T> ? T : never;

function send(spec: Spec): number | null {
  const target = targets[spec.target]!;
  const pool = spec.anyEvent ? everywhere : target.own;
  const event = spec.unknownEvent ? "no:such_event" : pool[spec.eventIndex % pool.length]!;
  if (spec.binary) {
    // Through the client's encoder: binary attachments need its framing.
    const id = nextAckId++;
    const payload = [Buffer.from(spec.binary), { nested: [Buffer.from(spec.binary)] }];
    if (spec.withAck) {
      expected.add(id);
      target.socket.emit(event, ...payload, (reply: unknown) => {
        const list = replies.get(id) ?? [];
        list.push(reply);
        replies.set(id, list);
      });
    } else target.socket.emit(event, ...payload);
    return spec.withAck ? id : null;
  }
  const nsp = target.nsp === "/" ? "" : `${target.nsp},`;
  const body = `[${[JSON.stringify(event), ...spec.args].join(",")}]`;
  if (!spec.withAck) {
    target.socket.io.engine.send(`2${nsp}${body}`);
    return null;
  }
  const id = nextAckId++;
  expected.add(id);
  target.socket.io.engine.send(`2${nsp}${id}${body}`);
  return id;
}

async function settled(ids: number[], ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline && ids.some((id) => !replies.has(id))) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

it("survives arbitrary payloads on every inbound event of every namespace", {
  timeout: 120_000,
}, async () => {
  let runs = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(sendSpec, { minLength: 1, maxLength: 8 }), async (specs) => {
      runs++;
      const ids = specs.map(send).filter((id): id is number => id !== null);
      // generous: under a loaded CI a reply can take seconds, and a missing one is still caught
      await settled(ids, 15_000);
      for (const id of ids) {
        const got = replies.get(id) ?? [];
        expect(got, `ack ${id}`).toHaveLength(1);
        expect(got[0]).toHaveProperty("ok");
        expect((got[0] as { error?: { code?: string } }).error?.code).not.toBe("internal");
      }
      for (const target of targets) expect(target.socket.connected).toBe(true);
    }),
    { numRuns: 10_000, interruptAfterTimeLimit: TIME_LIMIT_MS, markInterruptAsFailure: false },
  );
  // A late second reply would show up here.
  await new Promise((resolve) => setTimeout(resolve, 300));
  const twice = [...expected].filter((id) => (replies.get(id)?.length ?? 0) !== 1);
  expect(twice).toEqual([]);
  const codes = new Map<string, number>();
  for (const [reply] of replies.values()) {
    const r = reply as { ok: boolean; error?: { code: string } };
    const code = r.ok ? "ok" : (r.error?.code ?? "?");
    codes.set(code, (codes.get(code) ?? 0) + 1);
  }
  console.log(
    `fuzz: ${runs} runs, ${expected.size} acknowledged sends, all answered exactly once; replies: ${JSON.stringify(Object.fromEntries(codes))}`,
  );
  expect((await server.http("GET", "/health")).status).toBe(200);
  const [a, b] = watchers;
  await chatRoundTrip(a!, [b!], "still here");
  await chatRoundTrip(b!, [a!], "me too");
});
