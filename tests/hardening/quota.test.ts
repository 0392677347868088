import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db, migrate } from "../../apps/server/src/db.js";
import { FriendStore } from "../../apps/server/src/friends/store.js";
import { freshDbFile } from "../support/server.js";
import { createDatabase, describeWithServices, dropDatabase } from "../support/services.js";

// Finding 9 of issue 9: 120 concurrent friends:request from one player created 120 pending
// requests (limits 30 an hour, 50 pending): the count and the insert were not one step.
let db: Db;
beforeAll(() => {
  db = createDb(`file:${freshDbFile()}`);
});
afterAll(() => db.$disconnect());

let serial = 0;
async function users(prefix: string, count: number, on: Db = db) {
  const made = [];
  for (let i = 0; i < count; i++) {
    const username = `${prefix}${serial++}`;
    made.push(await on.user.create({ data: { username, usernameKey: username, passwordHash: "x" } }));
  }
  return made;
}

async function burst(store: FriendStore, fromId: string, targets: { username: string }[]) {
  const settled = await Promise.allSettled(targets.map((t) => store.request(fromId, t.username)));
  const codes = new Map<string, number>();
  for (const result of settled) {
    const code =
      result.status === "fulfilled"
        ? result.value.outcome
        : ((result.reason as { code?: string }).code ?? "crash");
    codes.set(code, (codes.get(code) ?? 0) + 1);
  }
  return codes;
}

describe("friend request quotas under a burst", () => {
  it("120 concurrent requests to distinct players respect the hourly limit exactly", async () => {
    const [sender] = await users("qs", 1);
    const targets = await users("qt", 120);
    const codes = await burst(new FriendStore(db, { maxPending: 50, perHour: 30 }), sender!.id, targets);
    expect(Object.fromEntries(codes)).toEqual({ requested: 30, too_many_requests: 90 });
    expect(await db.friendRequest.count({ where: { fromId: sender!.id } })).toBe(30);
  });

  it("120 concurrent requests respect the pending limit exactly", async () => {
    const [sender] = await users("ps", 1);
    const targets = await users("pt", 120);
    const codes = await burst(new FriendStore(db, { maxPending: 50, perHour: 1_000 }), sender!.id, targets);
    expect(Object.fromEntries(codes)).toEqual({ requested: 50, too_many_pending: 70 });
    expect(await db.friendRequest.count({ where: { fromId: sender!.id } })).toBe(50);
  });
});

// Two nodes share one PostgreSQL database: each has its own per-sender lock, so only the
// transactions keep the quotas exact.
await describeWithServices("friend request quotas across two nodes on PostgreSQL", ["postgres"], () => {
  let url: string;
  let nodes: Db[];
  beforeAll(async () => {
    url = await createDatabase();
    await migrate(url);
    nodes = [createDb(url), createDb(url)];
  }, 60_000);
  afterAll(async () => {
    for (const node of nodes ?? []) await node.$disconnect();
    if (url) await dropDatabase(url);
  });

  it("120 concurrent requests split over two nodes respect the hourly and pending limits", async () => {
    const [a, b] = nodes as [Db, Db];
    const [sender] = await users("ns", 1, a);
    const targets = await users("nt", 120, a);
    const limits = { maxPending: 50, perHour: 30 };
    const [left, right] = await Promise.all([
      burst(new FriendStore(a, limits), sender!.id, targets.slice(0, 60)),
      burst(new FriendStore(b, limits), sender!.id, targets.slice(60)),
    ]);
    const total = new Map(left);
    for (const [code, n] of right) total.set(code, (total.get(code) ?? 0) + n);
    expect(Object.fromEntries(total)).toEqual({ requested: 30, too_many_requests: 90 });
    expect(await a.friendRequest.count({ where: { fromId: sender!.id } })).toBe(30);
  });
});
