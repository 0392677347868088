import { ErrorCode, type FriendRequestView, type UserRef } from "@rally/protocol";
import { type Db, isUniqueViolation, lockedTransaction } from "../db.js";
import { AppError } from "../realtime/app-error.js";
import { KeyedMutex } from "../util/keyed-mutex.js";
import { friendIds, friendIdsOfMany, pairKey } from "./graph.js";

const HOUR_MS = 3_600_000;

/** The same refusal for an unknown name and for a player who blocked you: nothing to learn from it. */
const NO_SUCH_PLAYER = () =>
  new AppError(ErrorCode.user_not_found, "No player can receive a request under that name");

const ALREADY_PENDING = () => new AppError(ErrorCode.already_pending, "You already asked this player");

export interface FriendLists {
  friends: UserRef[];
  incoming: FriendRequestView[];
  outgoing: FriendRequestView[];
  blocked: UserRef[];
}

const ref = (user: { id: string; username: string }): UserRef => ({ id: user.id, name: user.username });

/** The friend graph, persisted with Prisma: requests, friendships and blocks. */
export class FriendStore {
  private readonly senders = new KeyedMutex();

  constructor(
    private readonly db: Db,
    private readonly limits: { maxPending: number; perHour: number },
  ) {}

  async blockedEitherWay(a: string, b: string): Promise<boolean> {
    const count = await this.db.block.count({
      where: {
        OR: [
          { blockerId: a, blockedId: b },
          { blockerId: b, blockedId: a },
        ],
      },
    });
    return count > 0;
  }

  /** Sends a request by name, or accepts the other player's pending request to us. */
  request(fromId: string, username: string): Promise<{ outcome: "requested" | "accepted"; target: UserRef }> {
    // One request per sender at a time on this node; the locked transactions below keep the quotas
    // exact across nodes too.
    return this.senders.run(fromId, () => this.sendRequest(fromId, username));
  }

  private async sendRequest(
    fromId: string,
    username: string,
  ): Promise<{ outcome: "requested" | "accepted"; target: UserRef }> {
    await this.countAttempt(fromId);
    const target = await this.db.user.findUnique({ where: { usernameKey: username.toLowerCase() } });
    if (!target || (await this.blockedEitherWay(fromId, target.id))) throw NO_SUCH_PLAYER();
    if (target.id === fromId)
      throw new AppError(ErrorCode.cannot_befriend_self, "You cannot befriend yourself");
    if ((await this.db.friendship.count({ where: pairKey(fromId, target.id) })) > 0) {
      throw new AppError(ErrorCode.already_friends, "You are already friends");
    }
    if (await this.acceptIfTheyAsked(fromId, target.id)) return { outcome: "accepted", target: ref(target) };
    try {
      await this.createPending(fromId, target.id);
    } catch (error) {
      // Two tabs sent the same request at once: the other one created it.
      if (isUniqueViolation(error)) throw ALREADY_PENDING();
      throw error;
    }
    // Both asked each other at the same moment: settle it as if theirs had come first.
    if (await this.acceptIfTheyAsked(fromId, target.id)) return { outcome: "accepted", target: ref(target) };
    return { outcome: "requested", target: ref(target) };
  }

  /** Counts the attempt against the hourly quota; check and write in one transaction. */
  private countAttempt(fromId: string): Promise<void> {
    return lockedTransaction(this.db, `friend-requests:${fromId}`, async (tx) => {
      const since = new Date(Date.now() - HOUR_MS);
      const recent = await tx.friendRequestLog.count({ where: { fromId, createdAt: { gt: since } } });
      if (recent >= this.limits.perHour) {
        throw new AppError(
          ErrorCode.too_many_requests,
          `At most ${this.limits.perHour} friend requests an hour`,
        );
      }
      // Every attempt counts, found or not, so the limit also slows down name guessing.
      await tx.friendRequestLog.create({ data: { fromId } });
    });
  }

  /** The pending-request quota and the insert, in one transaction. */
  private createPending(fromId: string, toId: string): Promise<void> {
    return lockedTransaction(this.db, `friend-requests:${fromId}`, async (tx) => {
      if ((await tx.friendRequest.count({ where: { fromId, toId } })) > 0) throw ALREADY_PENDING();
      if ((await tx.friendRequest.count({ where: { fromId } })) >= this.limits.maxPending) {
        throw new AppError(ErrorCode.too_many_pending, `At most ${this.limits.maxPending} pending requests`);
      }
      await tx.friendRequest.create({ data: { fromId, toId } });
    });
  }

  /** Accepts the target's pending request to us, if any. True when the two are friends after it. */
  private async acceptIfTheyAsked(userId: string, targetId: string): Promise<boolean> {
    if ((await this.db.friendRequest.count({ where: { fromId: targetId, toId: userId } })) === 0)
      return false;
    try {
      await this.accept(userId, targetId);
      return true;
    } catch (error) {
      // The other side's crossing request accepted it a moment ago.
      if (error instanceof AppError && error.code === ErrorCode.request_not_found) {
        return (await this.db.friendship.count({ where: pairKey(userId, targetId) })) > 0;
      }
      throw error;
    }
  }

  async accept(userId: string, fromId: string): Promise<void> {
    const deleted = await this.db.friendRequest.deleteMany({ where: { fromId, toId: userId } });
    if (deleted.count === 0)
      throw new AppError(ErrorCode.request_not_found, "No pending request from that player");
    await this.db.$transaction([
      this.db.friendRequest.deleteMany({ where: { fromId: userId, toId: fromId } }),
      this.db.friendship.upsert({
        where: { userAId_userBId: pairKey(userId, fromId) },
        create: pairKey(userId, fromId),
        update: {},
      }),
    ]);
  }

  async decline(userId: string, fromId: string): Promise<void> {
    const deleted = await this.db.friendRequest.deleteMany({ where: { fromId, toId: userId } });
    if (deleted.count === 0)
      throw new AppError(ErrorCode.request_not_found, "No pending request from that player");
  }

  async cancel(userId: string, toId: string): Promise<void> {
    const deleted = await this.db.friendRequest.deleteMany({ where: { fromId: userId, toId } });
    if (deleted.count === 0)
      throw new AppError(ErrorCode.request_not_found, "No pending request to that player");
  }

  async remove(userId: string, friendId: string): Promise<void> {
    const deleted = await this.db.friendship.deleteMany({ where: pairKey(userId, friendId) });
    if (deleted.count === 0) throw new AppError(ErrorCode.not_friends, "You are not friends");
  }

  /** Ends any friendship and pending requests between the two. Returns whether they were friends. */
  async block(userId: string, targetId: string): Promise<{ wereFriends: boolean; target: UserRef }> {
    if (userId === targetId) throw new AppError(ErrorCode.cannot_befriend_self, "You cannot block yourself");
    const target = await this.db.user.findUnique({ where: { id: targetId } });
    if (!target) throw NO_SUCH_PLAYER();
    const [friendship] = await this.db.$transaction([
      this.db.friendship.deleteMany({ where: pairKey(userId, targetId) }),
      this.db.friendRequest.deleteMany({
        where: {
          OR: [
            { fromId: userId, toId: targetId },
            { fromId: targetId, toId: userId },
          ],
        },
      }),
      this.db.block.upsert({
        where: { blockerId_blockedId: { blockerId: userId, blockedId: targetId } },
        create: { blockerId: userId, blockedId: targetId },
        update: {},
      }),
    ]);
    return { wereFriends: friendship.count > 0, target: ref(target) };
  }

  async unblock(userId: string, targetId: string): Promise<void> {
    const deleted = await this.db.block.deleteMany({ where: { blockerId: userId, blockedId: targetId } });
    if (deleted.count === 0) throw new AppError(ErrorCode.not_found, "That player is not blocked");
  }

  friendIds(userId: string): Promise<string[]> {
    return friendIds(this.db, userId);
  }

  /** friendIds for many players in one query; every asked id is in the map. */
  friendIdsOfMany(userIds: string[]): Promise<Map<string, string[]>> {
    return friendIdsOfMany(this.db, userIds);
  }

  async lists(userId: string): Promise<FriendLists> {
    const ids = await this.friendIds(userId);
    const [friends, incoming, outgoing, blocked] = await Promise.all([
      this.db.user.findMany({ where: { id: { in: ids } }, orderBy: { usernameKey: "asc" } }),
      this.db.friendRequest.findMany({
        where: { toId: userId },
        include: { from: true },
        orderBy: { createdAt: "asc" },
      }),
      this.db.friendRequest.findMany({
        where: { fromId: userId },
        include: { to: true },
        orderBy: { createdAt: "asc" },
      }),
      this.db.block.findMany({ where: { blockerId: userId }, include: { blocked: true } }),
    ]);
    return {
      friends: friends.map(ref),
      incoming: incoming.map((r) => ({ user: ref(r.from), createdAt: r.createdAt.toISOString() })),
      outgoing: outgoing.map((r) => ({ user: ref(r.to), createdAt: r.createdAt.toISOString() })),
      blocked: blocked.map((b) => ref(b.blocked)),
    };
  }
}
