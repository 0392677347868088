import {
  type AuditEntryView,
  ErrorCode,
  Namespaces,
  type PlayerDetail,
  type PlayerSummary,
  type ReportView,
  type auditQuerySchema,
} from "@rally/protocol";
import type { z } from "zod";
import type { AppContext } from "../context.js";
import type { PresenceStore } from "../presence/store.js";
import { AppError } from "../realtime/app-error.js";
import type { ModerationStore } from "./store.js";

const SEARCH_RESULTS = 20;
const RECENT_AUDIT = 20;

/** What the admin page reads: players, the audit log, reports. Thin over the stores. */
export class AdminConsole {
  constructor(
    private readonly ctx: AppContext,
    private readonly store: ModerationStore,
    private readonly presence: PresenceStore,
  ) {}

  private async summary(user: { id: string; username: string; role: string }): Promise<PlayerSummary> {
    const online = (await this.presence.connectionCount(user.id)) > 0;
    return {
      id: user.id,
      name: user.username,
      role: user.role as PlayerSummary["role"],
      status: online ? "online" : "offline",
    };
  }

  /** Names starting with the query, in any letter case, shortest first. */
  async search(query: string): Promise<PlayerSummary[]> {
    const users = await this.ctx.db.user.findMany({
      where: { usernameKey: { startsWith: query.toLowerCase() } },
      orderBy: { usernameKey: "asc" },
      take: SEARCH_RESULTS,
    });
    return Promise.all(users.map((user) => this.summary(user)));
  }

  async player(userId: string): Promise<PlayerDetail> {
    const user = await this.ctx.db.user.findUnique({ where: { id: userId } });
    if (!user) throw new AppError(ErrorCode.user_not_found, "No such player");
    const summary = await this.summary(user);
    const [friendsCount, mute, ban, audit, location] = await Promise.all([
      this.ctx.db.friendship.count({ where: { OR: [{ userAId: userId }, { userBId: userId }] } }),
      this.store.active(userId, "mute"),
      this.store.active(userId, "ban"),
      this.store.audit({ target: userId, limit: RECENT_AUDIT }),
      summary.status === "online" ? this.presence.location(userId) : null,
    ]);
    return {
      ...summary,
      location,
      friendsCount,
      mute,
      ban,
      createdAt: user.createdAt.toISOString(),
      audit,
    };
  }

  /** Actor and target may be given as a player name or an id; a target may be any audited string. */
  async audit(query: z.output<typeof auditQuerySchema>): Promise<AuditEntryView[]> {
    const resolve = async (nameOrId: string) =>
      (await this.ctx.accounts.findByName(nameOrId))?.id ??
      (await this.ctx.accounts.findById(nameOrId))?.id ??
      null;
    let actorId: string | undefined;
    if (query.actor) {
      const id = await resolve(query.actor);
      if (!id) throw new AppError(ErrorCode.user_not_found, "No player by that name", "actor");
      actorId = id;
    }
    const target = query.target ? ((await resolve(query.target)) ?? query.target) : undefined;
    return this.store.audit({
      actorId,
      action: query.action,
      target,
      since: query.since ? new Date(query.since) : undefined,
      until: query.until ? new Date(query.until) : undefined,
      limit: query.limit ?? 100,
    });
  }

  async resolveReport(id: string, actorId: string, resolution: string): Promise<ReportView> {
    const existing = await this.store.report(id);
    if (!existing) throw new AppError(ErrorCode.report_not_found, "No such report");
    if (!(await this.store.resolve(id, actorId, resolution))) {
      throw new AppError(ErrorCode.already_resolved, "That report is already resolved");
    }
    await this.ctx.audit("report.resolved", actorId, existing.target.id, { reportId: id, resolution });
    const report = (await this.store.report(id))!;
    this.ctx.io.of(Namespaces.admin).emit("report:resolved", report);
    return report;
  }
}
