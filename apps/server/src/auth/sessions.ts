import type { JWT } from "@fastify/jwt";
import type { Role } from "@rally/protocol";
import { TtlCache } from "../ttl-cache.js";
import type { AccountStore, SessionUser } from "./store.js";

export interface TokenClaims {
  sid: string;
  sub: string;
}

export interface Authenticated {
  user: SessionUser;
  sessionId: string;
}

/**
 * How long a checked session is trusted without asking the database again. A connect storm asks
 * for the same session once per namespace and per HTTP call; revocation on another node still
 * takes effect within this window (this node forgets a logged-out session at once).
 */
export const SESSION_CACHE_MS = 1_000;

/** Issues and checks tokens. A token is only as good as its session row: logout revokes the row. */
export class SessionService {
  private readonly sessions: TtlCache<string, SessionUser>;
  private readonly readListeners: ((users: SessionUser[], readAt: number) => void)[] = [];

  constructor(
    private readonly jwt: JWT,
    private readonly accounts: AccountStore,
    private readonly ttlSeconds: number,
  ) {
    this.sessions = new TtlCache(SESSION_CACHE_MS, async (ids) => {
      const readAt = performance.now();
      const users = await accounts.activeSessionUsers(ids);
      for (const listener of this.readListeners) listener([...users.values()], readAt);
      return users;
    });
  }

  /**
   * Called with the users every session read returned (and when that read began), so other
   * caches of the same rows (presence's profiles) need not read them again.
   */
  onUsersRead(listener: (users: SessionUser[], readAt: number) => void): void {
    this.readListeners.push(listener);
  }

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

  /**
   * What a well-signed, unexpired token claims (session and user), without asking the database
   * (so a flood of handshakes can be refused before it costs a query); null otherwise. Not proof
   * of a session: `authenticateClaims` checks that.
   */
  claims(token: unknown): TokenClaims | null {
    if (typeof token !== "string" || token.length === 0 || token.length > 4096) return null;
    let claims: TokenClaims;
    try {
      claims = this.jwt.verify<TokenClaims>(token);
    } catch {
      return null;
    }
    if (typeof claims.sid !== "string" || typeof claims.sub !== "string") return null;
    return claims;
  }

  /**
   * null for a missing, malformed, tampered, expired or revoked token. `fresh` skips the cache:
   * admin rights are checked against the database itself, so a demotion counts at once.
   */
  async authenticate(token: unknown, options: { fresh?: boolean } = {}): Promise<Authenticated | null> {
    const claims = this.claims(token);
    return claims ? this.authenticateClaims(claims, options) : null;
  }

  /** `authenticate` for claims already checked by `claims` (a handshake verifies a token once). */
  async authenticateClaims(
    claims: TokenClaims,
    options: { fresh?: boolean } = {},
  ): Promise<Authenticated | null> {
    if (options.fresh) this.forget(claims.sid);
    const user = await this.sessions.get(claims.sid);
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
    this.sessions.forget(sessionId);
  }
}

export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+(.+)$/i.exec(header);
  return match?.[1];
}
