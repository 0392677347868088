/** Thrown when the queue is full: the caller answers 503 `unavailable` instead of waiting. */
export class QueueFullError extends Error {
  readonly code = "EQUEUEFULL";
  constructor(what: string) {
    super(`Too many ${what} waiting`);
  }
}

/**
 * Runs at most `concurrency` tasks at once and lets at most `maxWaiting` more wait, and no more
 * than would finish within `maxWaitMs` at the recent pace; beyond that it refuses at once.
 * Password hashing goes through one of these so that a flood of logins cannot queue up seconds
 * of CPU in front of an honest player, however slow the machine is.
 *
 * Priority tasks have their own line of the same size, served first: a flood fills the normal
 * line but cannot push a priority task out.
 */
export class WorkQueue {
  private running = 0;
  private readonly lines = { priority: [] as (() => void)[], normal: [] as (() => void)[] };
  /** Moving average of a task's duration, ms. */
  private pace = 0;

  constructor(
    private readonly what: string,
    public concurrency: number,
    public maxWaiting: number,
    public maxWaitMs = Number.POSITIVE_INFINITY,
  ) {}

  get size(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.lines.priority.length + this.lines.normal.length };
  }

  /** The first task in an empty line always waits (one task's time); the pace bounds the rest. */
  private full(line: (() => void)[], priority: boolean): boolean {
    if (line.length >= this.maxWaiting) return true;
    const ahead = line.length + 1 + (priority ? 0 : this.lines.priority.length);
    return line.length > 0 && (ahead * this.pace) / this.concurrency > this.maxWaitMs;
  }

  async run<T>(task: () => Promise<T>, priority = false): Promise<T> {
    if (this.running < this.concurrency) {
      this.running++;
    } else {
      const line = priority ? this.lines.priority : this.lines.normal;
      if (this.full(line, priority)) throw new QueueFullError(this.what);
      // The finishing task hands its slot over: `running` stays the same.
      await new Promise<void>((resolve) => line.push(resolve));
    }
    const started = performance.now();
    try {
      return await task();
    } finally {
      const took = performance.now() - started;
      this.pace = this.pace === 0 ? took : 0.8 * this.pace + 0.2 * took;
      const next = this.lines.priority.shift() ?? this.lines.normal.shift();
      if (next) next();
      else this.running--;
    }
  }
}
