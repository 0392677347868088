import { createDb } from "../../apps/server/src/db.js";
import { pairKey } from "../../apps/server/src/friends/graph.js";
import type { TestServer } from "./server.js";

/** Opens the test server's own database file, for arranging data and checking what was written. */
export async function withDb<T>(
  server: TestServer,
  work: (db: ReturnType<typeof createDb>) => Promise<T>,
): Promise<T> {
  const db = createDb(server.config.databaseUrl);
  try {
    return await work(db);
  } finally {
    await db.$disconnect();
  }
}

export function makeFriends(server: TestServer, a: string, b: string): Promise<unknown> {
  return withDb(server, (db) => db.friendship.create({ data: pairKey(a, b) }));
}
