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

/** Issues and checks tokens. A token is only as good as its session row: logout revokes the row. */
export class SessionService {
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

  /**
   * The user a well-signed, unexpired token names, without asking the database (so a flood of
   * handshakes can be refused before it costs a query); null otherwise. Not proof of a session.
   */
  claimedUser(token: unknown): string | null {
    return this.claims(token)?.sub ?? null;
  }

  private claims(token: unknown): TokenClaims | null {
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

  /** null for a missing, malformed, tampered, expired or revoked token. */
  async authenticate(token: unknown): Promise<Authenticated | null> {
    const claims = this.claims(token);
    if (!claims) return null;
    const user = await this.accounts.activeSessionUser(claims.sid);
    if (!user || user.id !== claims.sub) return null;
    return { user, sessionId: claims.sid };
  }
}

export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+(.+)$/i.exec(header);
  return match?.[1];
}
