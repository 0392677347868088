import type { CreateNotice, NoticeScope, NoticeView, Severity } from "@rally/protocol";
import type { Db } from "../db.js";
import { hotReads, type LiveNoticeRow } from "../hot-reads.js";

/** What a view needs of a notice row, as Prisma (with its author) or the hot read gives it. */
type NoticeRow = Pick<
  Awaited<ReturnType<Db["notice"]["findFirstOrThrow"]>>,
  | "id"
  | "text"
  | "severity"
  | "scopeKind"
  | "serverSlug"
  | "channel"
  | "kind"
  | "startsAt"
  | "expiresAt"
  | "createdAt"
> & { author: { id: string; username: string } };

export function toView(row: NoticeRow): NoticeView {
  const scope: NoticeScope =
    row.scopeKind === "all"
      ? { kind: "all" }
      : row.scopeKind === "server"
        ? { kind: "server", server: row.serverSlug! }
        : { kind: "channel", server: row.serverSlug!, channel: row.channel! };
  return {
    id: row.id,
    text: row.text,
    severity: row.severity as Severity,
    scope,
    kind: row.kind as NoticeView["kind"],
    startsAt: row.startsAt.toISOString(),
    expiresAt: row.expiresAt?.toISOString() ?? null,
    author: { id: row.author.id, name: row.author.username },
    createdAt: row.createdAt.toISOString(),
  };
}

const liveView = (row: LiveNoticeRow): NoticeView =>
  toView({ ...row, author: { id: row.authorId, username: row.authorName } });

export interface StoredNotice extends NoticeView {
  deliveredAt: string | null;
}

/**
 * How long the live notices are served from memory: every connect and channel join asks for them,
 * and there are usually none. Changes made here are seen at once, on another node within this.
 */
export const LIVE_NOTICES_CACHE_MS = 1_000;

export interface ScopeFilter {
  scopeKind: NoticeScope["kind"];
  serverSlug?: string;
  channel?: number;
}

function inScope(notice: NoticeView, filter: ScopeFilter): boolean {
  const { scope } = notice;
  if (scope.kind !== filter.scopeKind) return false;
  if (scope.kind === "all") return true;
  if (scope.server !== filter.serverSlug) return false;
  return scope.kind !== "channel" || scope.channel === filter.channel;
}

/** Notices persisted with Prisma: they outlive restarts, and so do their schedules. */
export class NoticeStore {
  private live: { until: number; notices: Promise<NoticeView[]> } | null = null;

  constructor(private readonly db: Db) {}

  /** Forgets the cached live notices (after a change here, or when another node reports one). */
  invalidate(): void {
    this.live = null;
  }

  /** Like `active`, from memory: notices not deleted or expired, filtered by time on each call. */
  async activeCached(now: Date, filter: ScopeFilter): Promise<NoticeView[]> {
    if (!this.live || this.live.until <= Date.now()) {
      // Straight to the driver: a Prisma query here cost a few ms of compiling once a second,
      // right on some player's connect (the login alert's p95 in the bench).
      const notices = hotReads(this.db)
        .liveNotices(now)
        .then((rows) => rows.map(liveView));
      const entry = { until: Date.now() + LIVE_NOTICES_CACHE_MS, notices };
      this.live = entry;
      notices.catch(() => {
        if (this.live === entry) this.live = null;
      });
    }
    const at = now.toISOString();
    return (await this.live.notices).filter(
      (n) => n.startsAt <= at && (n.expiresAt === null || n.expiresAt > at) && inScope(n, filter),
    );
  }

  async create(
    input: Omit<CreateNotice, "startsAt" | "expiresAt"> & {
      startsAt: Date;
      expiresAt: Date | null;
      kind?: "notice" | "maintenance";
    },
    authorId: string,
  ): Promise<NoticeView> {
    const scope = input.scope;
    const row = await this.db.notice.create({
      data: {
        text: input.text,
        severity: input.severity,
        scopeKind: scope.kind,
        serverSlug: scope.kind === "all" ? null : scope.server,
        channel: scope.kind === "channel" ? scope.channel : null,
        kind: input.kind ?? "notice",
        startsAt: input.startsAt,
        expiresAt: input.expiresAt,
        authorId,
      },
      include: { author: true },
    });
    this.invalidate();
    return toView(row);
  }

  async get(id: string): Promise<NoticeView | null> {
    const row = await this.db.notice.findFirst({ where: { id, deletedAt: null }, include: { author: true } });
    return row ? toView(row) : null;
  }

  /** Every notice not deleted, newest first (expired ones included, for the admin list). */
  async list(): Promise<NoticeView[]> {
    const rows = await this.db.notice.findMany({
      where: { deletedAt: null },
      include: { author: true },
      orderBy: { createdAt: "desc" },
    });
    return rows.map(toView);
  }

  /** Notices that have started and not expired, optionally for one scope kind and server. */
  async active(
    now: Date,
    filter: { scopeKind?: string; serverSlug?: string; channel?: number } = {},
  ): Promise<NoticeView[]> {
    const rows = await this.db.notice.findMany({
      where: {
        deletedAt: null,
        startsAt: { lte: now },
        OR: [{ expiresAt: null }, { expiresAt: { gt: now } }],
        ...filter,
      },
      include: { author: true },
      orderBy: { startsAt: "asc" },
    });
    return rows.map(toView);
  }

  /** Notices whose start or expiry is still ahead: the scheduler arms a timer for each. */
  async upcoming(now: Date): Promise<NoticeView[]> {
    const rows = await this.db.notice.findMany({
      where: {
        deletedAt: null,
        OR: [{ startsAt: { gt: now } }, { expiresAt: { gt: now } }, { kind: "maintenance" }],
      },
      include: { author: true },
    });
    return rows.map(toView);
  }

  async markDeleted(id: string): Promise<boolean> {
    const result = await this.db.notice.updateMany({
      where: { id, deletedAt: null },
      data: { deletedAt: new Date() },
    });
    this.invalidate();
    return result.count > 0;
  }

  async activeMaintenance(server: string): Promise<NoticeView | null> {
    const row = await this.db.notice.findFirst({
      where: { deletedAt: null, kind: "maintenance", serverSlug: server },
      include: { author: true },
    });
    return row ? toView(row) : null;
  }
}
