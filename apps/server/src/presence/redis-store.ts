import type { Location } from "@rally/protocol";
import type { Redis } from "ioredis";
import type { PresenceStore } from "./store.js";

/** KEYS: the user's socket set. ARGV: socket id. 1 when it is the user's first open one. */
const CONNECT = `
local added = redis.call('SADD', KEYS[1], ARGV[1])
if added == 1 and redis.call('SCARD', KEYS[1]) == 1 then return 1 end
return 0
`;

/** KEYS: the user's socket set. ARGV: socket id. 1 when it was the user's last. */
const DISCONNECT = `
if redis.call('SREM', KEYS[1], ARGV[1]) == 0 then return 0 end
if redis.call('SCARD', KEYS[1]) == 0 then return 1 end
return 0
`;

/**
 * Presence shared by every node. Connections are tracked by socket id in one set per user, so the
 * first and the last connection are told apart atomically whatever node each socket is on. Sockets
 * of a node that died are removed by the cluster's node sweep (cluster/registry.ts).
 */
export class RedisPresenceStore implements PresenceStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {
    redis.defineCommand("rallyPresenceConnect", { numberOfKeys: 1, lua: CONNECT });
    redis.defineCommand("rallyPresenceDisconnect", { numberOfKeys: 1, lua: DISCONNECT });
  }

  private sockets = (userId: string) => `${this.prefix}presence:sockets:${userId}`;
  private location_ = (userId: string) => `${this.prefix}presence:location:${userId}`;
  private get announced() {
    return `${this.prefix}presence:announced`;
  }

  // biome-ignore lint/suspicious/noExplicitAny: commands added by defineCommand are untyped
  private get scripts(): any {
    return this.redis;
  }

  async connect(userId: string, socketId: string) {
    return (await this.scripts.rallyPresenceConnect(this.sockets(userId), socketId)) === 1;
  }

  async disconnect(userId: string, socketId: string) {
    return (await this.scripts.rallyPresenceDisconnect(this.sockets(userId), socketId)) === 1;
  }

  async connectionCount(userId: string) {
    return this.redis.scard(this.sockets(userId));
  }

  async markAnnounced(userId: string) {
    return (await this.redis.sadd(this.announced, userId)) === 1;
  }

  async clearAnnounced(userId: string) {
    return (await this.redis.srem(this.announced, userId)) === 1;
  }

  async isAnnounced(userId: string) {
    return (await this.redis.sismember(this.announced, userId)) === 1;
  }

  async announcedAmong(userIds: string[]) {
    if (userIds.length === 0) return new Set<string>();
    const flags = await this.redis.smismember(this.announced, ...userIds);
    return new Set(userIds.filter((_, i) => flags[i] === 1));
  }

  async setLocation(userId: string, location: Location | null) {
    if (location) await this.redis.set(this.location_(userId), JSON.stringify(location));
    else await this.redis.del(this.location_(userId));
  }

  async location(userId: string) {
    const raw = await this.redis.get(this.location_(userId));
    return raw ? (JSON.parse(raw) as Location) : null;
  }
}
