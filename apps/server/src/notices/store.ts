import type { CreateNotice, NoticeScope, NoticeView, Severity } from "@rally/protocol";
import type { Db } from "../db.js";

type NoticeRow = Awaited<ReturnType<Db["notice"]["findFirstOrThrow"]>> & {
  author: { id: string; username: string };
};

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

export interface StoredNotice extends NoticeView {
  deliveredAt: string | null;
}

/** Notices persisted with Prisma: they outlive restarts, and so do their schedules. */
export class NoticeStore {
  constructor(private readonly db: Db) {}

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
