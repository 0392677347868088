/** A budget that refills continuously: `capacity` units at most, `perSecond` units back a second. */
export class TokenBucket {
  private tokens: number;
  private at: number;

  constructor(
    private readonly capacity: number,
    private readonly perSecond: number,
    now: number,
  ) {
    this.tokens = capacity;
    this.at = now;
  }

  private refill(now: number): void {
    if (now > this.at) {
      this.tokens = Math.min(this.capacity, this.tokens + ((now - this.at) / 1000) * this.perSecond);
      this.at = now;
    }
  }

  /** 0 when `cost` units are there now, otherwise how many ms until they will be. */
  waitFor(cost: number, now: number): number {
    this.refill(now);
    if (this.tokens >= cost) return 0;
    return Math.ceil(((cost - this.tokens) / this.perSecond) * 1000);
  }

  take(cost: number, now: number): void {
    this.refill(now);
    this.tokens -= cost;
  }

  /** Gives back units taken for something that turned out not to count. */
  refund(cost: number): void {
    this.tokens = Math.min(this.capacity, this.tokens + cost);
  }

  /** True once the bucket is full again: it then holds nothing worth remembering. */
  full(now: number): boolean {
    this.refill(now);
    return this.tokens >= this.capacity;
  }
}

export interface BudgetLimits {
  socket: { burst: number; perSecond: number };
  user: { burst: number; perSecond: number };
  /** Refusals a socket may collect within `strikeWindowMs` before it is disconnected. */
  strikes: number;
  strikeWindowMs: number;
}

export type Charge = { ok: true } | { ok: false; retryAfterMs: number; disconnect: boolean };

/** Every affordable packet gets this same answer: nothing to allocate on the common path. */
const CHARGED: Charge = Object.freeze({ ok: true });

/** A user's budget on this node, shared by all their sockets in every namespace. */
interface UserBudget {
  bucket: TokenBucket;
  sockets: number;
}

/** One socket's budget, checked together with its user's: both must afford an event. */
export class SocketBudget {
  private readonly bucket: TokenBucket;
  /** Made at the first refusal: most sockets never collect one (a full bucket is all it would be). */
  private strikes: TokenBucket | null = null;
  private released = false;

  constructor(
    private readonly limits: BudgetLimits,
    private readonly user: UserBudget,
    now: number,
  ) {
    this.bucket = new TokenBucket(limits.socket.burst, limits.socket.perSecond, now);
    user.sockets++;
  }

  charge(cost: number, now: number): Charge {
    const wait = Math.max(this.bucket.waitFor(cost, now), this.user.bucket.waitFor(cost, now));
    if (wait === 0) {
      this.bucket.take(cost, now);
      this.user.bucket.take(cost, now);
      return CHARGED;
    }
    return { ok: false, retryAfterMs: wait, disconnect: this.strike(now) };
  }

  /** Counts a refusal; true once the socket has collected too many of them. */
  strike(now: number): boolean {
    const { strikes, strikeWindowMs } = this.limits;
    this.strikes ??= new TokenBucket(strikes, (strikes * 1000) / strikeWindowMs, now);
    if (this.strikes.waitFor(1, now) > 0) return true;
    this.strikes.take(1, now);
    return false;
  }

  /** The socket is gone: its user has one socket fewer. True the first time only. */
  release(): boolean {
    if (this.released) return false;
    this.released = true;
    this.user.sockets--;
    return true;
  }
}

/**
 * Budgets of every socket and user on this node. A socket's budget lives in its guard and dies
 * with it; a user's is shared by all their sockets (every namespace) and is forgotten once their
 * last socket has closed and it has refilled, so reconnecting does not buy a fresh budget and
 * memory follows the connected population.
 */
export class FloodGuard {
  private readonly users = new Map<string, UserBudget>();
  private lastSweep = 0;

  constructor(private readonly limits: BudgetLimits) {}

  /** A budget for a new socket of `userId`; pass it to `release` when the socket disconnects. */
  open(userId: string, now = Date.now()): SocketBudget {
    this.sweep(now);
    return new SocketBudget(this.limits, this.user(userId, now), now);
  }

  /** The socket of this budget disconnected (once; later calls do nothing). */
  release(budget: SocketBudget): void {
    if (budget.release()) this.sweep(Date.now());
  }

  /**
   * Charges a new connection to the user's budget (a handshake does real work too): 0 when
   * charged, otherwise the ms until it could be.
   */
  chargeConnect(userId: string, cost: number, now = Date.now()): number {
    this.sweep(now);
    const { bucket } = this.user(userId, now);
    const wait = bucket.waitFor(cost, now);
    if (wait === 0) bucket.take(cost, now);
    return wait;
  }

  private user(userId: string, now: number): UserBudget {
    let user = this.users.get(userId);
    if (!user) {
      user = { bucket: new TokenBucket(this.limits.user.burst, this.limits.user.perSecond, now), sockets: 0 };
      this.users.set(userId, user);
    }
    return user;
  }

  /** Drops users with no socket left whose budget is full again; at most once a second. */
  private sweep(now: number, force = false): void {
    if (!force && now - this.lastSweep < 1_000) return;
    this.lastSweep = now;
    for (const [userId, user] of this.users) {
      if (user.sockets === 0 && user.bucket.full(now)) this.users.delete(userId);
    }
  }

  /** Users whose budget is still remembered (for tests and metrics). */
  trackedUsers(now = Date.now()): number {
    this.sweep(now, true);
    return this.users.size;
  }
}
