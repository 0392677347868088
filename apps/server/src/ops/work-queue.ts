/** Thrown when the queue is full: the caller answers 503 `unavailable` instead of waiting. */
export class QueueFullError extends Error {
  readonly code = "EQUEUEFULL";
  constructor(what: string) {
    super(`Too many ${what} waiting`);
  }
}

/**
 * Runs at most `concurrency` tasks at once and lets at most `maxWaiting` more wait; beyond that
 * it refuses at once. Password hashing goes through one of these so that a flood of logins
 * cannot queue up minutes of CPU in front of an honest player.
 */
export class WorkQueue {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly what: string,
    public concurrency: number,
    public maxWaiting: number,
  ) {}

  get size(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running < this.concurrency) {
      this.running++;
    } else {
      if (this.waiting.length >= this.maxWaiting) throw new QueueFullError(this.what);
      // The finishing task hands its slot over: `running` stays the same.
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
