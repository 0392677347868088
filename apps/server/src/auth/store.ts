import crypto from "node:crypto";
import type { Me, Role } from "@rally/protocol";
import { type Db, isUniqueViolation } from "../db.js";
import { hotReads } from "../hot-reads.js";
import { hashPassword } from "./passwords.js";

export interface UserRecord {
  id: string;
  username: string;
  role: Role;
  appearOffline: boolean;
  passwordHash: string;
}

const SESSION_SLICE = 250;

/** A signed-in player as the session check sees them: never the password hash. */
export type SessionUser = Omit<UserRecord, "passwordHash">;

export function toMe(user: Omit<UserRecord, "passwordHash">): Me {
  return { id: user.id, name: user.username, role: user.role, appearOffline: user.appearOffline };
}

/** Accounts and login sessions, persisted with Prisma. */
export class AccountStore {
  constructor(private readonly db: Db) {}

  /** Returns null when the name is taken, in any letter case. */
  async createUser(username: string, password: string, role: Role = "player"): Promise<UserRecord | null> {
    const passwordHash = await hashPassword(password);
    try {
      const user = await this.db.user.create({
        data: { username, usernameKey: username.toLowerCase(), passwordHash, role },
      });
      return user as UserRecord;
    } catch (error) {
      if (isUniqueViolation(error)) return null;
      throw error;
    }
  }

  async findByName(username: string): Promise<UserRecord | null> {
    const user = await this.db.user.findUnique({ where: { usernameKey: username.toLowerCase() } });
    return user as UserRecord | null;
  }

  async findById(id: string): Promise<UserRecord | null> {
    return (await this.db.user.findUnique({ where: { id } })) as UserRecord | null;
  }

  async setRole(userId: string, role: Role): Promise<void> {
    await this.db.user.update({ where: { id: userId }, data: { role } });
  }

  async setPassword(userId: string, password: string): Promise<void> {
    await this.db.user.update({
      where: { id: userId },
      data: { passwordHash: await hashPassword(password) },
    });
  }

  async createSession(userId: string, ttlSeconds: number): Promise<{ id: string; expiresAt: Date }> {
    const id = crypto.randomBytes(18).toString("base64url");
    const expiresAt = new Date(Date.now() + ttlSeconds * 1000);
    await this.db.session.create({ data: { id, userId, expiresAt } });
    return { id, expiresAt };
  }

  /** The user of each session that exists, is not revoked and has not expired: only those are in the map. */
  async activeSessionUsers(sessionIds: string[]): Promise<Map<string, SessionUser>> {
    const active = new Map<string, SessionUser>();
    // The periodic re-check asks for every open socket's session: it reads slices, with a turn of
    // the event loop between them, since a SQLite read holds the process (and every player's
    // packets) while it runs.
    for (let i = 0; i < sessionIds.length; i += SESSION_SLICE) {
      if (i > 0) await new Promise((resolve) => setImmediate(resolve));
      const rows = await hotReads(this.db).sessionUsers(sessionIds.slice(i, i + SESSION_SLICE));
      const now = Date.now();
      for (const { sessionId, expiresAt, revokedAt, role, ...user } of rows) {
        if (revokedAt !== null || expiresAt === null || expiresAt.getTime() <= now) continue;
        active.set(sessionId, { ...user, role: role as Role });
      }
    }
    return active;
  }

  /**
   * The sessions among `ids` that are still good, with their user's current name and role; a
   * revoked, expired or deleted session is simply absent.
   */
  async liveSessions(ids: string[]): Promise<Map<string, { username: string; role: Role }>> {
    const live = new Map<string, { username: string; role: Role }>();
    for (const [id, user] of await this.activeSessionUsers(ids)) live.set(id, user);
    return live;
  }

  /** Deletes expired and revoked sessions: a token naming a missing session is refused anyway. */
  async pruneSessions(): Promise<number> {
    const { count } = await this.db.session.deleteMany({
      where: { OR: [{ expiresAt: { lte: new Date() } }, { revokedAt: { not: null } }] },
    });
    return count;
  }

  async revokeSession(sessionId: string): Promise<void> {
    await this.db.session.updateMany({
      where: { id: sessionId, revokedAt: null },
      data: { revokedAt: new Date() },
    });
  }
}
