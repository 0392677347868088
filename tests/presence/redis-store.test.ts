import { Redis } from "ioredis";
import { afterAll } from "vitest";
import { RedisPresenceStore } from "../../apps/server/src/presence/redis-store.js";
import { describePresenceStoreContract } from "../contracts/presence-store.contract.js";
import { describeWithServices, REDIS_URL, redisPrefix } from "../support/services.js";

await describeWithServices("RedisPresenceStore", ["redis"], () => {
  const redis = new Redis(REDIS_URL);
  const prefix = redisPrefix();
  let run = 0;
  afterAll(() => redis.disconnect());
  describePresenceStoreContract("redis", () => new RedisPresenceStore(redis, `${prefix}${run++}:`));
});
