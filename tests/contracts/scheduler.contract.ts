import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Scheduler } from "../../apps/server/src/cluster/scheduler.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(check: () => boolean, ms = 3_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error("timed out waiting");
    await sleep(20);
  }
}

/** Every Scheduler (plain timers, Redis sorted set) must pass this suite. */
export function describeSchedulerContract(name: string, makeScheduler: () => Scheduler): void {
  describe(`Scheduler contract: ${name}`, () => {
    let scheduler: Scheduler;
    let fired: unknown[];
    beforeEach(() => {
      scheduler = makeScheduler();
      fired = [];
      scheduler.define("t", (payload) => void fired.push(payload));
    });
    afterEach(() => scheduler.close());

    it("fires once with its payload", async () => {
      await scheduler.schedule("a", "t", Date.now() + 50, { n: 1 });
      await until(() => fired.length === 1);
      await sleep(400);
      expect(fired).toEqual([{ n: 1 }]);
    });

    it("cancels, and says whether something was armed", async () => {
      await scheduler.schedule("a", "t", Date.now() + 300, 1);
      expect(await scheduler.cancel("a")).toBe(true);
      expect(await scheduler.cancel("a")).toBe(false);
      await scheduler.schedule("b", "t", Date.now() + 50, 2);
      await until(() => fired.length === 1);
      await sleep(400);
      expect(fired).toEqual([2]);
    });

    it("re-arming moves the timer and replaces its payload; keepExisting leaves it", async () => {
      await scheduler.schedule("a", "t", Date.now() + 5_000, "old");
      await scheduler.schedule("a", "t", Date.now() + 50, "new");
      await scheduler.schedule("a", "t", Date.now() + 5_000, "kept?", { keepExisting: true });
      await until(() => fired.length === 1);
      expect(fired).toEqual(["new"]);
    });
  });
}
