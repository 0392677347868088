import crypto from "node:crypto";
import { createAdapter } from "@socket.io/redis-streams-adapter";
import type { FastifyBaseLogger } from "fastify";
import { Redis } from "ioredis";
import type { AppConfig } from "../config.js";
import { redacted } from "../pg-migrate.js";
import { MemoryLobbyStore } from "../lobby/memory-store.js";
import { RedisLobbyStore } from "../lobby/redis-store.js";
import type { LobbyStore } from "../lobby/store.js";
import { RedisPresenceStore } from "../presence/redis-store.js";
import { MemoryPresenceStore, type PresenceStore } from "../presence/store.js";
import { RedisRegistry } from "./redis-registry.js";
import { RedisScheduler } from "./redis-scheduler.js";
import { MemoryRegistry, type SocketRegistry } from "./registry.js";
import { MemoryScheduler, type Scheduler } from "./scheduler.js";

/** Live state: in this process (embedded), or in Redis shared by every node. */
export interface Cluster {
  mode: "embedded" | "redis";
  nodeId: string;
  /** The shared Redis connection (HTTP rate limits use it too); undefined when embedded. */
  redis: Redis | undefined;
  lobbyStore: LobbyStore;
  presenceStore: PresenceStore;
  scheduler: Scheduler;
  registry: SocketRegistry;
  /** The Socket.IO adapter factory; undefined keeps Socket.IO's in-memory adapter. */
  adapter: ReturnType<typeof createAdapter> | undefined;
  close(): Promise<void>;
}

/** Connects to Redis, failing fast with a clear message when it cannot be reached. */
export async function connectRedis(url: string): Promise<Redis> {
  // Auto-pipelining sends the commands issued in one event-loop turn (a connect issues several)
  // together: one write and one read instead of a round trip each.
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 3_000,
    maxRetriesPerRequest: 3,
    enableAutoPipelining: true,
  });
  // The first connect must succeed; after that ioredis reconnects on its own forever.
  let cause: Error | null = null;
  const remember = (error: Error) => {
    cause ??= error;
  };
  redis.on("error", remember);
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    redis.disconnect();
    const reason = (cause ?? (error as Error)).message;
    throw new Error(`cannot reach Redis at ${redacted(url)}: ${reason}`);
  }
  redis.off("error", remember);
  return redis;
}

const adapterOptions = (prefix: string) => ({
  streamName: `${prefix}socket.io`,
  channelPrefix: `${prefix}socket.io`,
  sessionKeyPrefix: `${prefix}sio:session:`,
});

/**
 * Tells every running node, from a process that is not one (the admin CLI), that a user's rights
 * changed, so each re-checks its sockets of that user at once. Nothing to do without Redis: the
 * single process re-reads sessions on its own every few seconds.
 */
export async function tellNodesRightsChanged(config: AppConfig, userId: string): Promise<void> {
  if (!config.redisUrl) return;
  const redis = await connectRedis(config.redisUrl);
  const { Server } = await import("socket.io");
  const io = new Server({ adapter: createAdapter(redis, adapterOptions(config.redisPrefix)) });
  const settle = () => new Promise((resolve) => setTimeout(resolve, 300));
  try {
    await settle();
    io.serverSideEmit("rights:changed", userId);
    await settle();
  } finally {
    // Not io.close(): this server never listened. Closing the adapter says goodbye to the nodes.
    await Promise.resolve(io.of("/").adapter.close());
    await settle();
    redis.disconnect();
  }
}

/**
 * The adapter's own client. Not lazy, so the copies the adapter makes connect by themselves (a lazy
 * copy's connect() can reject with nobody listening); no retry limit, so while Redis is away its
 * publishes and stream reads wait for it instead of failing unobserved.
 */
function adapterClient(url: string): Redis {
  const client = new Redis(url, { maxRetriesPerRequest: null });
  client.on("error", () => {});
  return client;
}

export async function createCluster(config: AppConfig, log: FastifyBaseLogger): Promise<Cluster> {
  const nodeId = crypto.randomUUID();
  const onError = (err: unknown, id?: string) => log.error({ err, id }, "cluster");
  if (!config.redisUrl) {
    const scheduler = new MemoryScheduler(onError);
    return {
      mode: "embedded",
      nodeId,
      redis: undefined,
      lobbyStore: new MemoryLobbyStore(),
      presenceStore: new MemoryPresenceStore(),
      scheduler,
      registry: new MemoryRegistry(),
      adapter: undefined,
      async close() {
        scheduler.close();
      },
    };
  }
  const redis = await connectRedis(config.redisUrl);
  redis.on("error", (err) => log.warn({ err: err.message }, "redis"));
  const prefix = config.redisPrefix;
  const scheduler = new RedisScheduler(redis, prefix, onError);
  const registry = new RedisRegistry(redis, prefix, nodeId, onError);
  const adapterRedis = adapterClient(config.redisUrl);
  return {
    mode: "redis",
    nodeId,
    redis,
    lobbyStore: new RedisLobbyStore(redis, prefix),
    presenceStore: new RedisPresenceStore(redis, prefix),
    scheduler,
    registry,
    adapter: createAdapter(adapterRedis, adapterOptions(prefix)),
    async close() {
      // Disconnect handlers of the sockets just closed are still writing to Redis: let them land.
      await new Promise((resolve) => setTimeout(resolve, 300));
      scheduler.close();
      await registry.close().catch(onError);
      redis.disconnect();
      adapterRedis.disconnect();
    },
  };
}
