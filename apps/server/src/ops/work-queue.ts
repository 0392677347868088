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
 */
export class WorkQueue {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  /** Moving average of a task's duration, ms. */
  private pace = 0;

  constructor(
    private readonly what: string,
    public concurrency: number,
    public maxWaiting: number,
    public maxWaitMs = Number.POSITIVE_INFINITY,
  ) {}

  get size(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  private full(): boolean {
    const ahead = this.waiting.length + 1;
    return ahead > this.maxWaiting || (ahead * this.pace) / this.concurrency > this.maxWaitMs;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running < this.concurrency) {
      this.running++;
    } else {
      if (this.full()) throw new QueueFullError(this.what);
      // The finishing task hands its slot over: `running` stays the same.
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    const started = performance.now();
    try {
      return await task();
    } finally {
      const took = performance.now() - started;
      this.pace = this.pace === 0 ? took : 0.8 * this.pace + 0.2 * took;
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
