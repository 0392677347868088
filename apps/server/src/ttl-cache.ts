/**
 * A read-through cache for answers that may be a moment old: each key is loaded at most once per
 * `ttlMs`, concurrent reads share one load, and the keys missed in one turn of the event loop are
 * loaded together in one query (a connect storm asks for hundreds of sessions at once, and each
 * query has a fixed cost far above its per-row cost). `forget` drops a key at once (after a change
 * made on this node); changes made elsewhere are seen when the entry expires.
 */
export class TtlCache<K, V> {
  private readonly entries = new Map<K, { until: number; value: Promise<V | null> }>();
  private lastForgetAt = Number.NEGATIVE_INFINITY;
  private batch: Map<K, { resolve: (value: V | null) => void; reject: (err: unknown) => void }> | null = null;
  private sweepTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly ttlMs: number,
    /** Loads many keys at once; a key missing from the result is cached as null. */
    private readonly loadMany: (keys: K[]) => Promise<Map<K, V>>,
    /** Past this many entries, expired ones are swept on insert. */
    private readonly sweepAbove = 5_000,
  ) {}

  get(key: K): Promise<V | null> {
    const now = Date.now();
    const cached = this.entries.get(key);
    if (cached && cached.until > now) return cached.value;
    const value = this.enqueue(key);
    const entry = { until: now + this.ttlMs, value };
    this.entries.delete(key);
    this.entries.set(key, entry);
    value.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    if (this.entries.size > this.sweepAbove) this.sweep(now);
    this.sweepLater();
    return value;
  }

  /**
   * Expired entries are also dropped a TTL after they were added, not only past `sweepAbove`:
   * after a burst of reads (a connect storm) the cache would otherwise keep a dead entry per
   * player until the next burst. One unref'd timer, armed only while there are entries.
   */
  private sweepLater(): void {
    if (this.sweepTimer) return;
    this.sweepTimer = setTimeout(() => {
      this.sweepTimer = null;
      this.sweep(Date.now());
      if (this.entries.size > 0) this.sweepLater();
    }, this.ttlMs);
    this.sweepTimer.unref();
  }

  forget(key: K): void {
    this.entries.delete(key);
    this.lastForgetAt = performance.now();
  }

  /**
   * Stores a value another read already fetched (at `readAt`, a `performance.now()`), unless the
   * key is cached or something was forgotten since that read began: the value may predate the
   * change that caused the forget.
   */
  prime(key: K, value: V, readAt: number): void {
    if (this.lastForgetAt >= readAt) return;
    const cached = this.entries.get(key);
    if (cached && cached.until > Date.now()) return;
    this.entries.delete(key);
    this.entries.set(key, { until: Date.now() + this.ttlMs, value: Promise.resolve(value) });
  }

  /** Entries held, live or not yet swept (for tests and metrics). */
  size(): number {
    return this.entries.size;
  }

  private enqueue(key: K): Promise<V | null> {
    if (!this.batch) {
      this.batch = new Map();
      setImmediate(() => this.flush());
    }
    const batch = this.batch;
    return new Promise((resolve, reject) => batch.set(key, { resolve, reject }));
  }

  private flush(): void {
    const batch = this.batch!;
    this.batch = null;
    const keys = [...batch.keys()];
    for (let i = 0; i < keys.length; i += MAX_BATCH) {
      const chunk = keys.slice(i, i + MAX_BATCH);
      this.loadMany(chunk).then(
        (found) => {
          for (const key of chunk) batch.get(key)!.resolve(found.get(key) ?? null);
        },
        (err) => {
          for (const key of chunk) batch.get(key)!.reject(err);
        },
      );
    }
  }

  /** Insertion order is expiry order: the stale entries are at the front. */
  private sweep(now: number): void {
    for (const [key, entry] of this.entries) {
      if (entry.until > now) break;
      this.entries.delete(key);
    }
  }
}

/**
 * Keys per query. SQLite binds at most 999 parameters per statement, and a loader may bind each
 * key more than once (friend ids match either side of a pair): 250 keys stay well under it.
 */
export const MAX_BATCH = 250;
