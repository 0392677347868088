import { afterAll, beforeAll, expect, it } from "vitest";
import { createDb, type Db } from "../../apps/server/src/db.js";
import { FriendStore } from "../../apps/server/src/friends/store.js";
import { freshDbFile } from "../support/server.js";

// The store on a real database, so two requests can truly interleave between their queries.
let db: Db;
beforeAll(() => {
  db = createDb(`file:${freshDbFile()}`);
});
afterAll(() => db.$disconnect());

async function user(username: string) {
  return db.user.create({ data: { username, usernameKey: username, passwordHash: "x" } });
}

it("makes friends of two players who ask each other at the same moment", async () => {
  const store = new FriendStore(db, { maxPending: 50, perHour: 30 });
  const [x, y] = [await user("cross_x"), await user("cross_y")];
  const outcomes = await Promise.all([store.request(x.id, y.username), store.request(y.id, x.username)]);
  expect(outcomes.map((o) => o.outcome)).toContain("accepted");
  for (const [me, other] of [
    [x, y],
    [y, x],
  ] as const) {
    const lists = await store.lists(me.id);
    expect(lists.friends.map((f) => f.id)).toEqual([other.id]);
    expect([...lists.incoming, ...lists.outgoing]).toEqual([]);
  }
});
