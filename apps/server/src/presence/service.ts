import type { FriendView, Location, UserRef } from "@rally/protocol";
import type { AppContext } from "../context.js";
import type { FriendStore } from "../friends/store.js";
import type { SocketInfo } from "../cluster/registry.js";
import { hotReads } from "../hot-reads.js";
import { TtlCache } from "../ttl-cache.js";
import { Coalescer } from "../util/coalesce.js";
import { type IoSocket, personalRoom } from "../types.js";
import { NOWHERE, type PresenceStore } from "./store.js";

/** How stale a player's name, visibility and friend list may be when read from another node's change. */
export const PROFILE_CACHE_MS = 1_000;

const OFFLINE = "presence.offline";
const offlineTimer = (userId: string) => `${OFFLINE}:${userId}`;

/**
 * Presence rules: online while any `/` connection is open and the player announced; offline only
 * after the last connection has been gone for the grace period; invisible players are offline to
 * friends. Recipients are always the online friends from the database, never from a payload.
 */
export class PresenceService {
  /**
   * Every connect, join and room change publishes a location, which needs the player's name,
   * visibility and friends: read each at most once a second, and at once after a change here.
   */
  private readonly profiles: TtlCache<string, { id: string; username: string; appearOffline: boolean }>;
  private readonly friendIds: TtlCache<string, string[]>;
  readonly moves: Coalescer;

  constructor(
    private readonly ctx: AppContext,
    readonly store: PresenceStore,
    friends: FriendStore,
  ) {
    ctx.cluster.scheduler.define(OFFLINE, (user) => this.goOffline(user as UserRef));
    this.profiles = new TtlCache(PROFILE_CACHE_MS, async (ids) => {
      const users = await hotReads(ctx.db).profiles(ids);
      return new Map(users.map((user) => [user.id, user]));
    });
    this.friendIds = new TtlCache(PROFILE_CACHE_MS, (ids) => friends.friendIdsOfMany(ids));
    ctx.sessions.onUsersRead((users, readAt) => {
      for (const { id, username, appearOffline } of users)
        this.profiles.prime(id, { id, username, appearOffline }, readAt);
    });
    this.moves = new Coalescer(PROFILE_CACHE_MS, (err) => ctx.log.error({ err }, "friend:moved"));
    ctx.onShutdown(() => this.moves.clear());
  }

  /** Call after friendships of these players changed, so alerts follow the new graph at once. */
  forgetFriends(...userIds: string[]): void {
    for (const id of userIds) this.friendIds.forget(id);
  }

  private async appearsOffline(userId: string): Promise<boolean> {
    return (await this.profiles.get(userId))?.appearOffline ?? true;
  }

  /** Personal rooms of the user's friends who are online right now. */
  async onlineFriendRooms(userId: string): Promise<string[]> {
    const ids = (await this.friendIds.get(userId)) ?? [];
    const online = await this.store.announcedAmong(ids);
    return [...online].map(personalRoom);
  }

  async visibleLocation(userId: string): Promise<Location> {
    return (await this.store.location(userId)) ?? NOWHERE;
  }

  async connected(socket: SocketInfo): Promise<void> {
    // A client announces right after connecting: start both reads now, so the alert need not wait.
    this.profiles.get(socket.userId).catch(() => {});
    this.friendIds.get(socket.userId).catch(() => {});
    // A reload within the grace period (on any node): friends never saw the player leave.
    await Promise.all([
      this.ctx.cluster.scheduler.cancel(offlineTimer(socket.userId)),
      this.store.connect(socket.userId, socket.id),
    ]);
  }

  /** The socket closed, or its node died (then another node calls this for it). */
  async disconnected(socket: SocketInfo): Promise<void> {
    const { userId, username } = socket;
    if (!(await this.store.disconnect(userId, socket.id))) return;
    // Re-arming moves a timer left from an earlier last-close to the end of this grace period.
    await this.ctx.cluster.scheduler.schedule(
      offlineTimer(userId),
      OFFLINE,
      Date.now() + this.ctx.config.presenceGraceMs,
      { id: userId, name: username } satisfies UserRef,
    );
  }

  private async goOffline(user: UserRef): Promise<void> {
    if ((await this.store.connectionCount(user.id)) > 0) return;
    const wasOnline = await this.store.clearAnnounced(user.id);
    if (!wasOnline || (await this.appearsOffline(user.id))) return;
    const rooms = await this.onlineFriendRooms(user.id);
    if (rooms.length) this.ctx.io.of("/").to(rooms).emit("friend:offline", { user });
  }

  /** The seed's client-initiated broadcast: the announcing socket is left out by socket.broadcast. */
  async announce(socket: IoSocket): Promise<boolean> {
    const { userId, username } = socket.data;
    const first = await this.store.markAnnounced(userId);
    if (!first) return false;
    // Both reads at once: they are loaded in the same batch turn.
    const [hidden, rooms] = await Promise.all([this.appearsOffline(userId), this.onlineFriendRooms(userId)]);
    if (hidden) return false;
    if (rooms.length) {
      socket.broadcast.to(rooms).emit("friend:online", {
        user: { id: userId, name: username },
        location: await this.visibleLocation(userId),
      });
    }
    return true;
  }

  async setAppearOffline(socket: IoSocket, appearOffline: boolean): Promise<void> {
    const { userId, username } = socket.data;
    const before = await this.appearsOffline(userId);
    await this.ctx.db.user.update({ where: { id: userId }, data: { appearOffline } });
    this.profiles.forget(userId);
    if (before === appearOffline || !(await this.store.isAnnounced(userId))) return;
    const rooms = await this.onlineFriendRooms(userId);
    if (!rooms.length) return;
    const user = { id: userId, name: username };
    if (appearOffline) socket.broadcast.to(rooms).emit("friend:offline", { user });
    else
      socket.broadcast
        .to(rooms)
        .emit("friend:online", { user, location: await this.visibleLocation(userId) });
  }

  /**
   * The location is stored at once; friends hear of it at most once a second per player (the
   * latest place), so a player hopping between rooms does not flood every online friend.
   */
  async locationChanged(userId: string, location: Location | null): Promise<void> {
    await this.store.setLocation(userId, location);
    this.moves.run(userId, () => this.tellFriendsWhere(userId));
  }

  private async tellFriendsWhere(userId: string): Promise<void> {
    if (!(await this.store.isAnnounced(userId)) || (await this.appearsOffline(userId))) return;
    const user = await this.profiles.get(userId);
    if (!user) return;
    const rooms = await this.onlineFriendRooms(userId);
    if (rooms.length === 0) return;
    this.ctx.io
      .of("/")
      .to(rooms)
      .emit("friend:moved", {
        user: { id: userId, name: user.username },
        location: await this.visibleLocation(userId),
      });
  }

  /** A friend as this viewer sees them: invisible friends are offline, with no location. */
  async view(friend: UserRef): Promise<FriendView> {
    const online = (await this.store.isAnnounced(friend.id)) && !(await this.appearsOffline(friend.id));
    return {
      ...friend,
      status: online ? "online" : "offline",
      location: online ? await this.visibleLocation(friend.id) : null,
    };
  }
}
