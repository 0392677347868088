import { performance } from "node:perf_hooks";

/**
 * Runs inbound packets in arrival order, but no more than `sliceMs` of them per event-loop turn.
 *
 * Node reads every socket that is ready in one poll phase, and in memory mode a handler runs to
 * its end without waiting on I/O: a thousand players joining a channel at once were one 300 ms
 * turn, during which no timer fired, no heartbeat was answered and nothing was written. Past the
 * slice, packets wait in one queue and are run a slice per turn from `setImmediate`, so timers
 * and I/O get their turn between slices. One queue for every socket keeps each socket's packets
 * in order. Nothing changes while a turn's packets stay under the slice.
 *
 * The queue is bounded: reading a packet is far cheaper than running it, so under a sustained
 * overload the queue would grow where TCP would otherwise have pushed back. Past `limit` waiting
 * packets, `run` refuses (the caller answers `unavailable`, and the client may retry).
 */
export class TurnScheduler {
  private queue: (() => void)[] = [];
  private head = 0;
  private turnStart = -1;
  private draining = false;
  /** The deepest the queue has been since the last `takePeak()`. */
  private peak = 0;

  constructor(
    private readonly sliceMs: number,
    private readonly limit: number,
  ) {}

  get depth(): number {
    return this.queue.length - this.head;
  }

  takePeak(): number {
    const peak = this.peak;
    this.peak = this.depth;
    return peak;
  }

  /**
   * Runs `job` now, or after the packets that arrived before it once this turn's slice is spent;
   * false (and `job` never runs) when `limit` packets are already waiting.
   */
  run(job: () => void): boolean {
    if (this.depth === 0 && this.withinTurn()) {
      job();
      return true;
    }
    if (this.depth >= this.limit) return false;
    this.queue.push(job);
    this.peak = Math.max(this.peak, this.depth);
    if (!this.draining) {
      this.draining = true;
      setImmediate(() => void this.drain());
    }
    return true;
  }

  /** Whether this turn still has time left; the first packet of a turn starts its clock. */
  private withinTurn(): boolean {
    const now = performance.now();
    if (this.turnStart < 0) {
      this.turnStart = now;
      // Runs once the poll phase that read these packets is over: the next turn starts afresh.
      setImmediate(() => {
        this.turnStart = -1;
      });
    }
    return now - this.turnStart < this.sliceMs;
  }

  private async drain(): Promise<void> {
    const started = performance.now();
    // At least one packet a turn, whatever the slice (0 queues every packet: tests use it).
    do {
      const job = this.queue[this.head] as () => void;
      this.queue[this.head++] = noop;
      try {
        job();
      } catch {
        // A packet that cannot be dispatched must not stop the queue: every later one waits on it.
      }
      // Socket.IO dispatches a let-through packet on the next tick: let it (and the handler's
      // synchronous part) run before the clock is read again.
      await nextTick();
    } while (this.depth > 0 && performance.now() - started < this.sliceMs);
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    if (this.depth > 0) setImmediate(() => void this.drain());
    else {
      this.queue = [];
      this.head = 0;
      this.draining = false;
    }
  }
}

function noop(): void {}

const nextTick = () => new Promise<void>((resolve) => process.nextTick(resolve));
