import type { JWT } from "@fastify/jwt";
import type { Role } from "@rally/protocol";
import type { AccountStore, UserRecord } from "./store.js";

interface TokenClaims {
  sid: string;
  sub: string;
}

export interface Authenticated {
  user: UserRecord;
  sessionId: string;
}

/**
 * How long a checked session is trusted without asking the database again. A connect storm asks
 * for the same session once per namespace and per HTTP call; revocation on another node still
 * takes effect within this window (this node forgets a logged-out session at once).
 */
export const SESSION_CACHE_MS = 1_000;
/** Past this many cached sessions, expired entries are swept on insert. */
const SWEEP_ABOVE = 5_000;

interface CachedSession {
  user: UserRecord | null;
  until: number;
}

/** Issues and checks tokens. A token is only as good as its session row: logout revokes the row. */
export class SessionService {
  private readonly cache = new Map<string, CachedSession>();
  private readonly inFlight = new Map<string, Promise<UserRecord | null>>();
  /** Counts revocations, so a query that overlapped one is not cached. */
  private forgets = 0;

  constructor(
    private readonly jwt: JWT,
    private readonly accounts: AccountStore,
    private readonly ttlSeconds: number,
  ) {}

  async issue(user: {
    id: string;
    role: Role;
  }): Promise<{ token: string; expiresAt: Date; sessionId: string }> {
    const session = await this.accounts.createSession(user.id, this.ttlSeconds);
    const token = this.jwt.sign({ sid: session.id, sub: user.id } satisfies TokenClaims, {
      expiresIn: this.ttlSeconds,
    });
    return { token, expiresAt: session.expiresAt, sessionId: session.id };
  }

  /** null for a missing, malformed, tampered, expired or revoked token. */
  async authenticate(token: unknown): Promise<Authenticated | null> {
    if (typeof token !== "string" || token.length === 0 || token.length > 4096) return null;
    let claims: TokenClaims;
    try {
      claims = this.jwt.verify<TokenClaims>(token);
    } catch {
      return null;
    }
    if (typeof claims.sid !== "string" || typeof claims.sub !== "string") return null;
    const user = await this.sessionUser(claims.sid);
    if (!user || user.id !== claims.sub) return null;
    return { user, sessionId: claims.sid };
  }

  /** Revokes the session everywhere (the row) and here at once (the cache). */
  async revoke(sessionId: string): Promise<void> {
    await this.accounts.revokeSession(sessionId);
    this.forget(sessionId);
  }

  /** Drops what this node remembers of a session, e.g. when another node says it was revoked. */
  forget(sessionId: string): void {
    this.forgets++;
    this.cache.delete(sessionId);
    this.inFlight.delete(sessionId);
  }

  /** The session's user, from the cache while fresh; concurrent checks share one query. */
  private async sessionUser(sessionId: string): Promise<UserRecord | null> {
    const cached = this.cache.get(sessionId);
    if (cached && cached.until > Date.now()) return cached.user;
    const pending = this.inFlight.get(sessionId);
    if (pending) return pending;
    const epoch = this.forgets;
    const query = this.accounts.activeSessionUser(sessionId).finally(() => {
      if (this.inFlight.get(sessionId) === query) this.inFlight.delete(sessionId);
    });
    this.inFlight.set(sessionId, query);
    const user = await query;
    // A revocation during the query may have been read before it was written: don't keep it.
    if (this.forgets === epoch) this.remember(sessionId, user);
    return user;
  }

  private remember(sessionId: string, user: UserRecord | null): void {
    const now = Date.now();
    this.cache.delete(sessionId);
    this.cache.set(sessionId, { user, until: now + SESSION_CACHE_MS });
    if (this.cache.size <= SWEEP_ABOVE) return;
    // Insertion order is expiry order: the stale ones are at the front.
    for (const [id, entry] of this.cache) {
      if (entry.until > now) break;
      this.cache.delete(id);
    }
  }
}

export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+(.+)$/i.exec(header);
  return match?.[1];
}
