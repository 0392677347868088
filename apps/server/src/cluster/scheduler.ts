/** What a timer does when it fires, by kind. The payload is plain JSON. */
export type TimerTask = (payload: unknown) => Promise<void> | void;

export interface ScheduleOptions {
  /** Leave an armed timer with the same id as it is (several nodes arming the same thing at boot). */
  keepExisting?: boolean;
}

/**
 * Timers that must fire exactly once for the whole deployment, even when the node that armed them
 * is gone. Every node registers the same kinds at start; whichever node claims a due timer runs it.
 * Ids are unique per timer: arming an id again moves it, cancelling it stops it everywhere.
 */
export interface Scheduler {
  define(kind: string, task: TimerTask): void;
  schedule(id: string, kind: string, at: number, payload: unknown, options?: ScheduleOptions): Promise<void>;
  /** True when the timer was armed and is now cancelled. */
  cancel(id: string): Promise<boolean>;
  close(): void;
}

// setTimeout cannot wait longer than this; longer waits re-arm themselves.
const MAX_TIMER_MS = 2 ** 31 - 1;

/** One process: plain timers. */
export class MemoryScheduler implements Scheduler {
  private readonly tasks = new Map<string, TimerTask>();
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly onError: (err: unknown, id: string) => void) {}

  define(kind: string, task: TimerTask): void {
    this.tasks.set(kind, task);
  }

  async schedule(id: string, kind: string, at: number, payload: unknown, options: ScheduleOptions = {}) {
    if (options.keepExisting && this.timers.has(id)) return;
    clearTimeout(this.timers.get(id));
    const wait = at - Date.now();
    const timer = setTimeout(
      () => {
        this.timers.delete(id);
        if (wait > MAX_TIMER_MS) return void this.schedule(id, kind, at, payload);
        void runTask(this.tasks.get(kind), kind, payload).catch((err) => this.onError(err, id));
      },
      Math.max(0, Math.min(wait, MAX_TIMER_MS)),
    );
    this.timers.set(id, timer);
  }

  async cancel(id: string) {
    const timer = this.timers.get(id);
    clearTimeout(timer);
    return this.timers.delete(id);
  }

  close(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}

export async function runTask(task: TimerTask | undefined, kind: string, payload: unknown): Promise<void> {
  if (!task) throw new Error(`no task defined for timer kind "${kind}"`);
  await task(payload);
}
