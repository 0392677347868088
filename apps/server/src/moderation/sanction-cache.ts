import type { SanctionView } from "@rally/protocol";
import type { Db } from "../db.js";
import { hotReads } from "../hot-reads.js";
import { TtlCache } from "../ttl-cache.js";

export type SanctionKind = "mute" | "ban";

/** How long a ban, mute or ignore list read here may be served from memory. */
export const MODERATION_CACHE_MS = 1_000;

/**
 * Every handshake asks whether the player is banned, and every chat line whether they are muted.
 * Almost nobody is: the ids of everyone under a sanction of each kind are read in one query at most
 * once a second, so a connect storm costs no query per player. Only a listed player's sanction is
 * read in full (and kept for a second). This node forgets both at once when it writes a sanction;
 * another node's write is seen within the second.
 */
export class SanctionCache {
  private readonly listed = new Map<SanctionKind, { until: number; ids: Promise<Set<string>> }>();
  private readonly details: TtlCache<string, SanctionView>;

  constructor(
    private readonly db: Db,
    /** The player's active sanction of that kind, read from the database. */
    read: (userId: string, kind: SanctionKind) => Promise<SanctionView | null>,
  ) {
    this.details = new TtlCache(MODERATION_CACHE_MS, async (keys) => {
      const found = new Map<string, SanctionView>();
      for (const key of keys) {
        const [kind, userId] = key.split("|") as [SanctionKind, string];
        const view = await read(userId, kind);
        if (view) found.set(key, view);
      }
      return found;
    });
  }

  async active(userId: string, kind: SanctionKind): Promise<SanctionView | null> {
    if (!(await this.sanctionedIds(kind)).has(userId)) return null;
    return this.details.get(`${kind}|${userId}`);
  }

  forget(userId: string, kind: SanctionKind): void {
    this.listed.delete(kind);
    this.details.forget(`${kind}|${userId}`);
  }

  private sanctionedIds(kind: SanctionKind): Promise<Set<string>> {
    const now = Date.now();
    const cached = this.listed.get(kind);
    if (cached && cached.until > now) return cached.ids;
    const entry = { until: now + MODERATION_CACHE_MS, ids: this.readIds(kind) };
    this.listed.set(kind, entry);
    entry.ids.catch(() => {
      if (this.listed.get(kind) === entry) this.listed.delete(kind);
    });
    return entry.ids;
  }

  private async readIds(kind: SanctionKind): Promise<Set<string>> {
    const rows = await hotReads(this.db).unliftedSanctions(kind);
    const now = Date.now();
    const ids = new Set<string>();
    for (const { userId, expiresAt } of rows) {
      if (expiresAt === null || expiresAt.getTime() > now) ids.add(userId);
    }
    return ids;
  }
}
