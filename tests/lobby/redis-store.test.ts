import { Redis } from "ioredis";
import { afterAll } from "vitest";
import { RedisLobbyStore } from "../../apps/server/src/lobby/redis-store.js";
import { describeLobbyStoreContract } from "../contracts/lobby-store.contract.js";
import { describeWithServices, REDIS_URL, redisPrefix } from "../support/services.js";

await describeWithServices("RedisLobbyStore", ["redis"], () => {
  const redis = new Redis(REDIS_URL);
  const prefix = redisPrefix();
  let run = 0;
  afterAll(() => redis.disconnect());
  // Each test gets a fresh key space, as each memory test gets a fresh store.
  describeLobbyStoreContract("redis", () => new RedisLobbyStore(redis, `${prefix}${run++}:`));
});
