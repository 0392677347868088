/**
 * Folds bursts of the same broadcast into at most one per interval and key: the first change goes
 * out at once, every change within the window becomes one more at its end, and that one reads the
 * state as it is then. A connect storm or a join wave thus costs each client a bounded number of
 * list updates, however many players move.
 */
export class Coalescer {
  private readonly windows = new Map<string, { pending: (() => unknown) | null; timer: NodeJS.Timeout }>();

  constructor(
    private readonly intervalMs: number,
    private readonly onError: (err: unknown) => void,
  ) {}

  run(key: string, task: () => unknown): void {
    const window = this.windows.get(key);
    if (window) window.pending = task;
    else this.open(key, task);
  }

  private open(key: string, task: () => unknown): void {
    const timer = setTimeout(() => this.close(key), this.intervalMs);
    this.windows.set(key, { pending: null, timer });
    try {
      Promise.resolve(task()).catch(this.onError);
    } catch (err) {
      this.onError(err);
    }
  }

  private close(key: string): void {
    const window = this.windows.get(key);
    this.windows.delete(key);
    if (window?.pending) this.open(key, window.pending);
  }

  /** Drops what is pending (at shutdown). */
  clear(): void {
    for (const window of this.windows.values()) clearTimeout(window.timer);
    this.windows.clear();
  }
}
