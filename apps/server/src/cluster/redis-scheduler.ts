import type { Redis } from "ioredis";
import { runTask, type ScheduleOptions, type Scheduler, type TimerTask } from "./scheduler.js";

/** How often each node looks for due timers: the most a timer can fire late, plus Redis latency. */
const POLL_MS = 200;
const BATCH = 100;

/**
 * KEYS: deadlines (sorted set id -> due ms), payloads (hash id -> JSON). ARGV: now, batch size.
 * Removes and returns the due timers in one step, so exactly one poller gets each of them.
 */
const CLAIM_DUE = `
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
local claimed = {}
for _, id in ipairs(due) do
  redis.call('ZREM', KEYS[1], id)
  local payload = redis.call('HGET', KEYS[2], id)
  redis.call('HDEL', KEYS[2], id)
  if payload then
    table.insert(claimed, id)
    table.insert(claimed, payload)
  end
end
return claimed
`;

/**
 * Deadlines in a Redis sorted set, claimed atomically by whichever node polls first. No leader to
 * elect or hand over: a node that dies simply stops polling and the others fire its timers.
 * A timer claimed by a node that dies in the same instant is lost; the tasks are written so that
 * a later event (a reconnect, a restart's re-arming) repairs that rare case.
 */
export class RedisScheduler implements Scheduler {
  private readonly tasks = new Map<string, TimerTask>();
  private readonly poller: NodeJS.Timeout;
  private polling = false;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly onError: (err: unknown, id: string) => void,
  ) {
    redis.defineCommand("rallyClaimDue", { numberOfKeys: 2, lua: CLAIM_DUE });
    this.poller = setInterval(() => void this.poll(), POLL_MS);
    this.poller.unref();
  }

  private get deadlines() {
    return `${this.prefix}timers:due`;
  }
  private get payloads() {
    return `${this.prefix}timers:payload`;
  }

  define(kind: string, task: TimerTask): void {
    this.tasks.set(kind, task);
  }

  async schedule(id: string, kind: string, at: number, payload: unknown, options: ScheduleOptions = {}) {
    const body = JSON.stringify({ kind, payload });
    const tx = this.redis.multi();
    if (options.keepExisting) tx.zadd(this.deadlines, "NX", at, id).hsetnx(this.payloads, id, body);
    else tx.zadd(this.deadlines, at, id).hset(this.payloads, id, body);
    await tx.exec();
  }

  async cancel(id: string) {
    const result = await this.redis.multi().zrem(this.deadlines, id).hdel(this.payloads, id).exec();
    return result?.[0]?.[1] === 1;
  }

  /** Claims what is due and runs it; one poll at a time per node. */
  async poll(): Promise<void> {
    if (this.polling || this.redis.status !== "ready") return;
    this.polling = true;
    try {
      // biome-ignore lint/suspicious/noExplicitAny: commands added by defineCommand are untyped
      const claimed: string[] = await (this.redis as any).rallyClaimDue(
        this.deadlines,
        this.payloads,
        Date.now(),
        BATCH,
      );
      for (let i = 0; i < claimed.length; i += 2) {
        const id = claimed[i]!;
        const { kind, payload } = JSON.parse(claimed[i + 1]!) as { kind: string; payload: unknown };
        void runTask(this.tasks.get(kind), kind, payload).catch((err) => this.onError(err, id));
      }
    } catch (err) {
      this.onError(err, "poll");
    } finally {
      this.polling = false;
    }
  }

  close(): void {
    clearInterval(this.poller);
  }
}
