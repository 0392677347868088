import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../../apps/server/src/db.js";
import { pairKey } from "../../apps/server/src/friends/graph.js";
import { FriendStore } from "../../apps/server/src/friends/store.js";
import { MAX_BATCH, TtlCache } from "../../apps/server/src/ttl-cache.js";
import { freshDbFile } from "../support/server.js";

// A connect storm reads hundreds of players' friends in one turn: the batched read must answer
// each of them correctly, in chunks the database accepts (SQLite binds at most 999 parameters).
let db: Db;
const PLAYERS = 3 * MAX_BATCH + 7;
const ids = Array.from({ length: PLAYERS }, (_, i) => `batch-${String(i).padStart(4, "0")}`);

beforeAll(async () => {
  db = createDb(`file:${freshDbFile()}`);
  await db.user.createMany({
    data: ids.map((id) => ({ id, username: id, usernameKey: id, passwordHash: "-" })),
  });
  // Each player is friends with the next one: every player but the ends has two friends.
  await db.friendship.createMany({
    data: ids.slice(1).map((id, i) => pairKey(ids[i]!, id)),
  });
});
afterAll(async () => {
  await db.$disconnect();
});

describe("batched reads", () => {
  it("answers every key of a storm-sized batch, in chunks the database accepts", async () => {
    const store = new FriendStore(db, { maxPending: 50, perHour: 30 });
    const chunks: number[] = [];
    const cache = new TtlCache<string, string[]>(1_000, (keys) => {
      chunks.push(keys.length);
      return store.friendIdsOfMany(keys);
    });
    const friends = await Promise.all(ids.map((id) => cache.get(id)));
    expect(chunks).toEqual([MAX_BATCH, MAX_BATCH, MAX_BATCH, 7]);
    friends.forEach((list, i) => {
      const expected = [ids[i - 1], ids[i + 1]].filter((id) => id !== undefined).sort();
      expect([...(list ?? [])].sort()).toEqual(expected);
    });
    // Read again within the TTL: served from memory, no further query.
    await Promise.all(ids.slice(0, 10).map((id) => cache.get(id)));
    expect(chunks).toHaveLength(4);
  });

  it("takes a value another read fetched, unless something was forgotten since that read began", async () => {
    const loads: string[][] = [];
    const cache = new TtlCache<string, string>(1_000, async (keys) => {
      loads.push(keys);
      return new Map(keys.map((key) => [key, `db:${key}`]));
    });
    cache.prime("a", "primed", performance.now());
    expect(await cache.get("a")).toBe("primed");
    expect(loads).toEqual([]);

    // A read that began before a forget may hold the value the forget was about: not taken.
    const readAt = performance.now();
    cache.forget("b");
    cache.prime("c", "stale", readAt);
    expect(await cache.get("c")).toBe("db:c");
    expect(loads).toEqual([["c"]]);
  });
});

describe("TtlCache memory", () => {
  it("drops expired entries after a burst, without waiting for the next one", async () => {
    const loads: string[][] = [];
    const cache = new TtlCache<string, string>(300, async (keys) => {
      loads.push(keys);
      return new Map(keys.map((key) => [key, key.toUpperCase()]));
    });
    expect(await Promise.all(["a", "b", "c"].map((key) => cache.get(key)))).toEqual(["A", "B", "C"]);
    expect(cache.size()).toBe(3);
    // Well inside the TTL the entries serve reads; a TTL or two later they are gone.
    expect(await cache.get("a")).toBe("A");
    expect(loads).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 900));
    expect(cache.size()).toBe(0);
    expect(await cache.get("a")).toBe("A");
    expect(loads).toHaveLength(2);
  });
});
