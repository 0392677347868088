import type { Redis } from "ioredis";
import type { SocketInfo, SocketRegistry } from "./registry.js";

const HEARTBEAT_MS = 1_000;
/** A node silent for this long is dead: its sockets are handed to the lost-socket handlers. */
export const NODE_TIMEOUT_MS = 6_000;

/** KEYS: node sockets (id -> info), namespace users (userId -> count). ARGV: socket id, info, user. */
const ADD = `
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 1 then
  redis.call('HINCRBY', KEYS[2], ARGV[3], 1)
end
`;

/** Same KEYS and ARGV as ADD (without info). Returns the user's connections left in the namespace. */
const REMOVE = `
if redis.call('HDEL', KEYS[1], ARGV[1]) == 1 then
  local left = redis.call('HINCRBY', KEYS[2], ARGV[2], -1)
  if left <= 0 then redis.call('HDEL', KEYS[2], ARGV[2]) return 0 end
  return left
end
return tonumber(redis.call('HGET', KEYS[2], ARGV[2]) or '0')
`;

/**
 * The registry in Redis. Each node heartbeats into a sorted set; every node sweeps it, and the
 * node whose ZREM removes a silent node (exactly one does) replays that node's sockets as lost.
 */
export class RedisRegistry implements SocketRegistry {
  private readonly handlers: ((socket: SocketInfo) => Promise<void>)[] = [];
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    readonly nodeId: string,
    private readonly onError: (err: unknown) => void,
  ) {
    redis.defineCommand("rallyRegistryAdd", { numberOfKeys: 2, lua: ADD });
    redis.defineCommand("rallyRegistryRemove", { numberOfKeys: 2, lua: REMOVE });
    let beats = 0;
    this.timer = setInterval(() => {
      void this.heartbeat()
        .then(() => (++beats % 2 === 0 ? this.sweep() : undefined))
        .catch(onError);
    }, HEARTBEAT_MS);
    this.timer.unref();
    void this.heartbeat().catch(onError);
  }

  private get nodes() {
    return `${this.prefix}registry:nodes`;
  }
  private nodeSockets = (node: string) => `${this.prefix}registry:node:${node}`;
  private nspUsers = (nsp: string) => `${this.prefix}registry:nsp:${nsp}`;
  // biome-ignore lint/suspicious/noExplicitAny: commands added by defineCommand are untyped
  private get scripts(): any {
    return this.redis;
  }

  private heartbeat() {
    return this.redis.zadd(this.nodes, Date.now(), this.nodeId);
  }

  async add(socket: SocketInfo) {
    await this.scripts.rallyRegistryAdd(
      this.nodeSockets(this.nodeId),
      this.nspUsers(socket.nsp),
      socket.id,
      JSON.stringify(socket),
      socket.userId,
    );
  }

  private removeFrom(node: string, socket: SocketInfo): Promise<number> {
    return this.scripts.rallyRegistryRemove(
      this.nodeSockets(node),
      this.nspUsers(socket.nsp),
      socket.id,
      socket.userId,
    );
  }

  remove(socket: SocketInfo) {
    return this.removeFrom(this.nodeId, socket);
  }

  async count(nsp: string, userId: string) {
    return Number((await this.redis.hget(this.nspUsers(nsp), userId)) ?? 0);
  }

  async users(nsp: string) {
    return this.redis.hkeys(this.nspUsers(nsp));
  }

  userCount(nsp: string) {
    return this.redis.hlen(this.nspUsers(nsp));
  }

  onLost(handler: (socket: SocketInfo) => Promise<void>): void {
    this.handlers.push(handler);
  }

  /** Finds nodes that stopped heartbeating; claims each with ZREM and replays its sockets. */
  async sweep(): Promise<void> {
    const silent = await this.redis.zrangebyscore(this.nodes, "-inf", Date.now() - NODE_TIMEOUT_MS);
    for (const node of silent) {
      if (node === this.nodeId || (await this.redis.zrem(this.nodes, node)) !== 1) continue;
      const sockets = await this.redis.hgetall(this.nodeSockets(node));
      for (const raw of Object.values(sockets)) {
        const socket = JSON.parse(raw) as SocketInfo;
        await this.removeFrom(node, socket);
        for (const handler of this.handlers) await handler(socket).catch(this.onError);
      }
      await this.redis.del(this.nodeSockets(node));
    }
  }

  /**
   * A clean stop: the sockets were closed and their disconnect handlers removed them. Any still
   * here (a handler that had not got that far) are replayed as lost, so their grace timers start.
   */
  async close() {
    clearInterval(this.timer);
    for (const raw of Object.values(await this.redis.hgetall(this.nodeSockets(this.nodeId)))) {
      const socket = JSON.parse(raw) as SocketInfo;
      await this.remove(socket);
      for (const handler of this.handlers) await handler(socket).catch(this.onError);
    }
    await this.redis.multi().zrem(this.nodes, this.nodeId).del(this.nodeSockets(this.nodeId)).exec();
  }
}
