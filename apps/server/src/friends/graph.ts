import type { Db } from "../db.js";
import { hotReads } from "../hot-reads.js";

/** Friendships are stored once per pair, lower id first. */
export function pairKey(a: string, b: string): { userAId: string; userBId: string } {
  return a < b ? { userAId: a, userBId: b } : { userAId: b, userBId: a };
}

export async function areFriends(db: Db, a: string, b: string): Promise<boolean> {
  return (await db.friendship.count({ where: pairKey(a, b) })) > 0;
}

export async function friendIdsOfMany(db: Db, userIds: string[]): Promise<Map<string, string[]>> {
  const rows = await hotReads(db).friendships(userIds);
  const friends = new Map(userIds.map((id) => [id, [] as string[]]));
  for (const { userAId, userBId } of rows) {
    friends.get(userAId)?.push(userBId);
    friends.get(userBId)?.push(userAId);
  }
  return friends;
}

export async function friendIds(db: Db, userId: string): Promise<string[]> {
  const rows = await db.friendship.findMany({
    where: { OR: [{ userAId: userId }, { userBId: userId }] },
    select: { userAId: true, userBId: true },
  });
  return rows.map((row) => (row.userAId === userId ? row.userBId : row.userAId));
}
