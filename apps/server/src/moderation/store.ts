import type { AuditEntryView, ChatMessage, ReportView, SanctionView, UserRef } from "@rally/protocol";
import type { Db } from "../db.js";
import { hotReads } from "../hot-reads.js";
import { TtlCache } from "../ttl-cache.js";
import { MODERATION_CACHE_MS, SanctionCache, type SanctionKind } from "./sanction-cache.js";

export { MODERATION_CACHE_MS, type SanctionKind } from "./sanction-cache.js";

const ref = (user: { id: string; username: string } | null): UserRef | null =>
  user ? { id: user.id, name: user.username } : null;

const activeWhere = (userId: string, kind: SanctionKind, now: Date) => ({
  userId,
  kind,
  liftedAt: null,
  OR: [{ expiresAt: null }, { expiresAt: { gt: now } }],
});

type SanctionRow = {
  id: string;
  userId: string;
  kind: string;
  reason: string;
  expiresAt: Date | null;
  createdAt: Date;
  actor: { id: string; username: string } | null;
};

function sanctionView(row: SanctionRow): SanctionView {
  return {
    id: row.id,
    kind: row.kind as SanctionKind,
    reason: row.reason,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    actor: ref(row.actor),
  };
}

const USER = { select: { id: true, username: true } } as const;

export interface AuditFilter {
  actorId?: string;
  action?: string;
  target?: string;
  since?: Date;
  until?: Date;
  limit: number;
}

export interface NewReport {
  kind: "message" | "player";
  reporterId: string;
  targetId: string;
  reason: string;
  message: (ChatMessage & { where: string }) | null;
  context: ChatMessage[];
}

/**
 * Mutes, bans, reports and ignore lists, in the database: every node sees the same sanctions the
 * moment they are written, and they survive restarts.
 */
export class ModerationStore {
  /**
   * Every handshake asks for a ban, every join and chat line for ignore lists: each is read at
   * most once a second per player (players asked in the same turn share one query), and forgotten
   * at once when this node writes it; another node's write is seen within the second.
   */
  private readonly sanctions: SanctionCache;
  private readonly ignored: TtlCache<string, Set<string>>;
  private readonly ignorers: TtlCache<string, string[]>;

  constructor(private readonly db: Db) {
    this.sanctions = new SanctionCache(db, (userId, kind) => this.active(userId, kind, new Date()));
    this.ignored = new TtlCache(MODERATION_CACHE_MS, async (userIds) => {
      const rows = await hotReads(this.db).ignoresBy(userIds);
      const found = new Map(userIds.map((id) => [id, new Set<string>()]));
      for (const row of rows) found.get(row.userId)?.add(row.ignoredId);
      return found;
    });
    this.ignorers = new TtlCache(MODERATION_CACHE_MS, async (ignoredIds) => {
      const rows = await hotReads(this.db).ignoresOf(ignoredIds);
      const found = new Map(ignoredIds.map((id) => [id, [] as string[]]));
      for (const row of rows) found.get(row.ignoredId)?.push(row.userId);
      return found;
    });
  }

  async active(userId: string, kind: SanctionKind, now?: Date): Promise<SanctionView | null> {
    if (!now) return this.sanctions.active(userId, kind);
    const row = await this.db.sanction.findFirst({
      where: activeWhere(userId, kind, now),
      include: { actor: USER },
      orderBy: { createdAt: "desc" },
    });
    return row ? sanctionView(row) : null;
  }

  /** Replaces any active sanction of that kind: the newest decision is the one that counts. */
  async impose(
    kind: SanctionKind,
    userId: string,
    actorId: string | null,
    reason: string,
    expiresAt: Date | null,
  ): Promise<SanctionView> {
    const now = new Date();
    const [, row] = await this.db.$transaction([
      this.db.sanction.updateMany({ where: activeWhere(userId, kind, now), data: { liftedAt: now } }),
      this.db.sanction.create({
        data: { kind, userId, actorId, reason, expiresAt },
        include: { actor: USER },
      }),
    ]);
    this.sanctions.forget(userId, kind);
    return sanctionView(row);
  }

  /** Lifts the active sanction; false when there was none. */
  async lift(kind: SanctionKind, userId: string): Promise<boolean> {
    const now = new Date();
    const { count } = await this.db.sanction.updateMany({
      where: activeWhere(userId, kind, now),
      data: { liftedAt: now },
    });
    this.sanctions.forget(userId, kind);
    return count > 0;
  }

  /** Admins who are not banned right now. */
  async activeAdminIds(): Promise<string[]> {
    const now = new Date();
    const admins = await this.db.user.findMany({
      where: {
        role: "admin",
        sanctions: {
          none: { kind: "ban", liftedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
        },
      },
      select: { id: true },
    });
    return admins.map((admin) => admin.id);
  }

  async countReportsSince(reporterId: string, since: Date): Promise<number> {
    return this.db.report.count({ where: { reporterId, createdAt: { gte: since } } });
  }

  async auditedSince(actorId: string, action: string, since: Date): Promise<boolean> {
    return (await this.db.auditEntry.count({ where: { actorId, action, createdAt: { gte: since } } })) > 0;
  }

  async createReport(input: NewReport): Promise<ReportView> {
    const row = await this.db.report.create({
      data: {
        kind: input.kind,
        reporterId: input.reporterId,
        targetId: input.targetId,
        reason: input.reason,
        message: input.message ? JSON.stringify(input.message) : null,
        context: JSON.stringify(input.context),
      },
      include: REPORT_INCLUDE,
    });
    return this.reportView(row);
  }

  async reports(status: "open" | "resolved", limit = 200): Promise<ReportView[]> {
    const rows = await this.db.report.findMany({
      where: { status },
      include: REPORT_INCLUDE,
      orderBy: { createdAt: status === "open" ? "asc" : "desc" },
      take: limit,
    });
    return Promise.all(rows.map((row) => this.reportView(row)));
  }

  async report(id: string): Promise<ReportView | null> {
    const row = await this.db.report.findUnique({ where: { id }, include: REPORT_INCLUDE });
    return row ? this.reportView(row) : null;
  }

  /** Resolves an open report; false when it was already resolved (by another admin, say). */
  async resolve(id: string, resolvedById: string, resolution: string): Promise<boolean> {
    const { count } = await this.db.report.updateMany({
      where: { id, status: "open" },
      data: { status: "resolved", resolution, resolvedById, resolvedAt: new Date() },
    });
    return count > 0;
  }

  private async reportView(row: ReportRow): Promise<ReportView> {
    const resolver = row.resolvedById
      ? await this.db.user.findUnique({ where: { id: row.resolvedById }, ...USER })
      : null;
    return {
      id: row.id,
      kind: row.kind as ReportView["kind"],
      reporter: ref(row.reporter)!,
      target: ref(row.target)!,
      reason: row.reason,
      message: row.message ? JSON.parse(row.message) : null,
      context: row.context ? JSON.parse(row.context) : [],
      status: row.status as ReportView["status"],
      resolution: row.resolution,
      resolvedBy: ref(resolver),
      createdAt: row.createdAt.toISOString(),
    };
  }

  async ignore(userId: string, ignoredId: string): Promise<void> {
    await this.db.ignore.upsert({
      where: { userId_ignoredId: { userId, ignoredId } },
      create: { userId, ignoredId },
      update: {},
    });
    this.ignored.forget(userId);
    this.ignorers.forget(ignoredId);
  }

  async unignore(userId: string, ignoredId: string): Promise<boolean> {
    const { count } = await this.db.ignore.deleteMany({ where: { userId, ignoredId } });
    this.ignored.forget(userId);
    this.ignorers.forget(ignoredId);
    return count > 0;
  }

  async ignoring(userId: string): Promise<UserRef[]> {
    const rows = await this.db.ignore.findMany({
      where: { userId },
      include: { ignored: USER },
      orderBy: { createdAt: "asc" },
    });
    return rows.map((row) => ref(row.ignored)!);
  }

  async ignoringCount(userId: string): Promise<number> {
    return this.db.ignore.count({ where: { userId } });
  }

  async ignorerIds(ignoredId: string): Promise<string[]> {
    return [...((await this.ignorers.get(ignoredId)) ?? [])];
  }

  async ignoredIds(userId: string): Promise<Set<string>> {
    return new Set(await this.ignored.get(userId));
  }

  async audit(filter: AuditFilter): Promise<AuditEntryView[]> {
    const rows = await this.db.auditEntry.findMany({
      where: {
        actorId: filter.actorId,
        action: filter.action ? { startsWith: filter.action } : undefined,
        target: filter.target,
        createdAt: { gte: filter.since, lte: filter.until },
      },
      include: { actor: USER },
      orderBy: { createdAt: "desc" },
      take: filter.limit,
    });
    const targetIds = [...new Set(rows.map((row) => row.target).filter((t): t is string => t !== null))];
    const named = await this.db.user.findMany({ where: { id: { in: targetIds } }, ...USER });
    const names = new Map(named.map((user) => [user.id, user.username]));
    return rows.map((row) => ({
      id: row.id,
      action: row.action,
      actor: ref(row.actor),
      target: row.target,
      targetName: row.target ? (names.get(row.target) ?? null) : null,
      detail: row.detail ? JSON.parse(row.detail) : null,
      at: row.createdAt.toISOString(),
    }));
  }
}

const REPORT_INCLUDE = { reporter: USER, target: USER } as const;
type ReportRow = {
  id: string;
  kind: string;
  reason: string;
  message: string | null;
  context: string | null;
  status: string;
  resolution: string | null;
  resolvedById: string | null;
  createdAt: Date;
  reporter: { id: string; username: string };
  target: { id: string; username: string };
};
