import { ErrorCode } from "@rally/protocol";
import { AppError } from "../realtime/app-error.js";
import { TokenBucket } from "../realtime/budget.js";

const MINUTE_MS = 60_000;

/**
 * Wrong private-room passwords, limited per player and per room (on this node). A guess takes a
 * token from both buckets before the password is checked, so parallel guesses cannot slip past
 * the limit while hashes are being verified; a right password gives its tokens back.
 */
export class PasswordAttempts {
  private readonly buckets = new Map<string, TokenBucket>();
  private lastSweep = 0;

  constructor(private readonly limits: { perUser: number; perRoom: number }) {}

  private bucket(key: string, perMinute: number, now: number): TokenBucket {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(perMinute, perMinute / 60, now);
      this.buckets.set(key, bucket);
    }
    return bucket;
  }

  /** Runs `verify` unless the player or the room is out of guesses; rate_limited then. */
  async check(userId: string, roomId: string, verify: () => Promise<boolean>): Promise<boolean> {
    const now = Date.now();
    this.sweep(now);
    const user = this.bucket(`user|${userId}`, this.limits.perUser, now);
    const room = this.bucket(`room|${roomId}`, this.limits.perRoom, now);
    const wait = Math.max(user.waitFor(1, now), room.waitFor(1, now));
    if (wait > 0) {
      const error = new AppError(
        ErrorCode.rate_limited,
        `Too many wrong passwords: try again in ${Math.ceil(wait / 1000)} s`,
      );
      error.retryAfterMs = wait;
      throw error;
    }
    user.take(1, now);
    room.take(1, now);
    const right = await verify();
    if (right) {
      user.refund(1);
      room.refund(1);
    }
    return right;
  }

  /** Buckets that refilled hold nothing worth keeping. */
  private sweep(now: number): void {
    if (now - this.lastSweep < MINUTE_MS) return;
    this.lastSweep = now;
    for (const [key, bucket] of this.buckets) if (bucket.full(now)) this.buckets.delete(key);
  }

  size(now = Date.now()): number {
    this.lastSweep = 0;
    this.sweep(now);
    return this.buckets.size;
  }
}
