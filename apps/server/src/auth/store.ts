import crypto from "node:crypto";
import type { Me, Role } from "@rally/protocol";
import { type Db, isUniqueViolation } from "../db.js";
import { hashPassword } from "./passwords.js";

export interface UserRecord {
  id: string;
  username: string;
  role: Role;
  appearOffline: boolean;
  passwordHash: string;
}

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

  /** The session's user when the session exists, is not revoked and has not expired. */
  async activeSessionUser(sessionId: string): Promise<UserRecord | null> {
    const session = await this.db.session.findUnique({ where: { id: sessionId }, include: { user: true } });
    if (!session || session.revokedAt || session.expiresAt.getTime() <= Date.now()) return null;
    return session.user as UserRecord;
  }

  /** activeSessionUser for many sessions in one query: only the active ones are in the map. */
  async activeSessionUsers(sessionIds: string[]): Promise<Map<string, UserRecord>> {
    const sessions = await this.db.session.findMany({
      where: { id: { in: sessionIds }, revokedAt: null, expiresAt: { gt: new Date() } },
      include: { user: true },
    });
    return new Map(sessions.map((session) => [session.id, session.user as UserRecord]));
  }

  /**
   * The sessions among `ids` that are still good, with their user's current name and role; a
   * revoked, expired or deleted session is simply absent.
   */
  async liveSessions(ids: string[]): Promise<Map<string, { username: string; role: Role }>> {
    const live = new Map<string, { username: string; role: Role }>();
    // SQLite allows at most 999 bound parameters per statement.
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await this.db.session.findMany({
        where: { id: { in: ids.slice(i, i + 500) }, revokedAt: null, expiresAt: { gt: new Date() } },
        select: { id: true, user: { select: { username: true, role: true } } },
      });
      for (const row of rows) live.set(row.id, { username: row.user.username, role: row.user.role as Role });
    }
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
