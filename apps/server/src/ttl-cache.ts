/**
 * A read-through cache for answers that may be a moment old: each key is loaded at most once per
 * `ttlMs`, and concurrent reads of a key share one load. `forget` drops a key at once (after a
 * change made on this node); changes made elsewhere are seen when the entry expires.
 */
export class TtlCache<K, V> {
  private readonly entries = new Map<K, { until: number; value: Promise<V> }>();

  constructor(
    private readonly ttlMs: number,
    private readonly load: (key: K) => Promise<V>,
    /** Past this many entries, expired ones are swept on insert. */
    private readonly sweepAbove = 5_000,
  ) {}

  get(key: K): Promise<V> {
    const now = Date.now();
    const cached = this.entries.get(key);
    if (cached && cached.until > now) return cached.value;
    const value = this.load(key);
    const entry = { until: now + this.ttlMs, value };
    this.entries.delete(key);
    this.entries.set(key, entry);
    value.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    if (this.entries.size > this.sweepAbove) this.sweep(now);
    return value;
  }

  forget(key: K): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }

  /** Insertion order is expiry order: the stale entries are at the front. */
  private sweep(now: number): void {
    for (const [key, entry] of this.entries) {
      if (entry.until > now) break;
      this.entries.delete(key);
    }
  }
}
