import { Redis } from "ioredis";
import { afterAll, expect, it } from "vitest";
import { RedisScheduler } from "../../apps/server/src/cluster/redis-scheduler.js";
import { MemoryScheduler } from "../../apps/server/src/cluster/scheduler.js";
import { describeSchedulerContract } from "../contracts/scheduler.contract.js";
import { describeWithServices, REDIS_URL, redisPrefix } from "../support/services.js";

const fail = (err: unknown) => {
  throw err;
};

describeSchedulerContract("memory", () => new MemoryScheduler(fail));

await describeWithServices("RedisScheduler", ["redis"], () => {
  const redis = new Redis(REDIS_URL);
  const prefix = redisPrefix();
  let run = 0;
  afterAll(() => redis.disconnect());
  describeSchedulerContract("redis", () => new RedisScheduler(redis, `${prefix}${run++}:`, fail));

  it("fires each timer exactly once among several polling nodes, even if the arming node is gone", async () => {
    const shared = `${prefix}shared:`;
    const arming = new RedisScheduler(redis, shared, fail);
    await Promise.all(
      Array.from({ length: 30 }, (_, i) => arming.schedule(`t${i}`, "t", Date.now() + 100 + i * 5, i)),
    );
    arming.close(); // the node that armed them stops polling
    const fired: number[] = [];
    const nodes = Array.from({ length: 3 }, () => {
      const node = new RedisScheduler(redis, shared, fail);
      node.define("t", (n) => void fired.push(n as number));
      return node;
    });
    const end = Date.now() + 5_000;
    while (fired.length < 30 && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 500));
    for (const node of nodes) node.close();
    expect(fired.sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i));
  });
});
