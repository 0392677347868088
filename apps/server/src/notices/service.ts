import { type CreateNotice, ErrorCode, type NoticeScope, type NoticeView } from "@rally/protocol";
import type { AppContext } from "../context.js";
import { AppError } from "../realtime/app-error.js";
import { channelRoom } from "../types.js";
import type { NoticeStore } from "./store.js";

// An empty exclusion list: a plain broadcast operator, so every scope has the same type.
const ALL: string[] = [];
const DELIVER = "notice.deliver";
const EXPIRE = "notice.expire";

/**
 * Server-led broadcasts: a notice reaches every connected client in its scope, nobody excluded.
 * Scope `all` goes out on `/` (every signed-in client is there); `server` and `channel` go out on
 * that game server's namespace.
 */
export class NoticeService {
  constructor(
    private readonly ctx: AppContext,
    readonly store: NoticeStore,
  ) {
    // The cluster's scheduler fires each of these once, on whichever node claims it.
    ctx.cluster.scheduler.define(DELIVER, async (id) => {
      const notice = await this.store.get(id as string);
      if (notice) this.deliver(notice);
    });
    ctx.cluster.scheduler.define(EXPIRE, (id) => this.expire(id as string));
  }

  private target(scope: NoticeScope) {
    if (scope.kind === "all") return this.ctx.io.of("/").to(ALL);
    const nsp = this.ctx.gameServers.namespace(scope.server);
    return scope.kind === "channel" ? nsp.to(channelRoom(scope.channel)) : nsp.except([]);
  }

  private deliver(notice: NoticeView): void {
    this.target(notice.scope).emit("notice:posted", notice);
  }

  private takeDown(notice: NoticeView): void {
    this.target(notice.scope).emit("notice:removed", { id: notice.id });
  }

  private cancelTimers(id: string): Promise<unknown> {
    const { scheduler } = this.ctx.cluster;
    return Promise.all([scheduler.cancel(`${DELIVER}:${id}`), scheduler.cancel(`${EXPIRE}:${id}`)]);
  }

  /**
   * Arms delivery, expiry and (for maintenance) the closing of the server. At boot every node
   * re-arms what is ahead; `keepExisting` makes that change nothing where it is already armed.
   */
  private async schedule(notice: NoticeView, keepExisting = false): Promise<void> {
    const { scheduler } = this.ctx.cluster;
    const starts = new Date(notice.startsAt).getTime();
    if (starts > Date.now()) {
      await scheduler.schedule(`${DELIVER}:${notice.id}`, DELIVER, starts, notice.id, { keepExisting });
    }
    if (notice.expiresAt) {
      const expires = new Date(notice.expiresAt).getTime();
      await scheduler.schedule(`${EXPIRE}:${notice.id}`, EXPIRE, expires, notice.id, { keepExisting });
    }
  }

  private async expire(id: string): Promise<void> {
    const notice = await this.store.get(id);
    // Removed, cancelled or ended by the lobby meanwhile: that path took the notice down already.
    if (!notice) return;
    if (notice.kind === "maintenance" && notice.scope.kind !== "all") {
      if (!(await this.store.markDeleted(notice.id))) return;
      this.takeDown(notice);
      await this.ctx.gameServers.close(notice.scope.server, "The server closed for maintenance");
      return;
    }
    this.takeDown(notice);
  }

  /** At start: re-arm what is still ahead, and relock servers whose maintenance is running. */
  async boot(): Promise<void> {
    for (const notice of await this.store.upcoming(new Date())) {
      if (notice.kind === "maintenance" && notice.scope.kind !== "all" && notice.expiresAt) {
        await this.ctx.gameServers.setMaintenance(notice.scope.server, new Date(notice.expiresAt));
      }
      await this.schedule(notice, true);
    }
  }

  async validateScope(scope: NoticeScope): Promise<void> {
    if (scope.kind === "all") return;
    const channels = await this.ctx.gameServers.channelCount(scope.server);
    if (channels === null)
      throw new AppError(ErrorCode.invalid_payload, "scope: no such game server", "scope.server");
    if (scope.kind === "channel" && scope.channel > channels) {
      throw new AppError(
        ErrorCode.invalid_payload,
        `scope: that server has channels 1 to ${channels}`,
        "scope.channel",
      );
    }
  }

  async create(
    input: CreateNotice & { severity: NoticeView["severity"] },
    actorId: string,
  ): Promise<NoticeView> {
    await this.validateScope(input.scope);
    const startsAt = input.startsAt ? new Date(input.startsAt) : new Date();
    const expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
    if (expiresAt && expiresAt <= startsAt) {
      throw new AppError(ErrorCode.invalid_payload, "expiresAt: must be after startsAt", "expiresAt");
    }
    if (expiresAt && expiresAt.getTime() <= Date.now()) {
      throw new AppError(ErrorCode.invalid_payload, "expiresAt: must be in the future", "expiresAt");
    }
    const notice = await this.store.create({ ...input, startsAt, expiresAt }, actorId);
    await this.ctx.audit("notice.posted", actorId, notice.id, {
      text: notice.text,
      scope: notice.scope,
      startsAt,
    });
    if (startsAt.getTime() <= Date.now()) this.deliver(notice);
    await this.schedule(notice);
    return notice;
  }

  async remove(id: string, actorId: string): Promise<void> {
    const notice = await this.store.get(id);
    if (!notice || !(await this.store.markDeleted(id)))
      throw new AppError(ErrorCode.not_found, "No such notice");
    await this.cancelTimers(id);
    await this.ctx.audit("notice.removed", actorId, id, { text: notice.text });
    if (notice.kind === "maintenance" && notice.scope.kind !== "all") {
      await this.ctx.gameServers.setMaintenance(notice.scope.server, null);
    }
    const started = new Date(notice.startsAt).getTime() <= Date.now();
    if (started) this.takeDown(notice);
  }

  async startMaintenance(
    server: string,
    countdownSeconds: number,
    text: string | undefined,
    actorId: string,
  ) {
    const target = (await this.ctx.gameServers.stats()).servers.find((s) => s.slug === server);
    if (!target) throw new AppError(ErrorCode.invalid_payload, "server: no such game server", "server");
    // Nobody is on a closed server to warn, and its closing would only close it again.
    if (target.status === "closed")
      throw new AppError(ErrorCode.server_closed, "That server is already closed");
    if (await this.store.activeMaintenance(server)) {
      throw new AppError(ErrorCode.maintenance, "Maintenance is already scheduled on that server");
    }
    const until = new Date(Date.now() + countdownSeconds * 1000);
    await this.ctx.gameServers.setMaintenance(server, until);
    const notice = await this.store.create(
      {
        text: text ?? `Maintenance: this server closes in ${countdownSeconds} seconds`,
        severity: "critical",
        scope: { kind: "server", server },
        startsAt: new Date(),
        expiresAt: until,
        kind: "maintenance",
      },
      actorId,
    );
    await this.ctx.audit("maintenance.started", actorId, server, { until, notice: notice.id });
    this.deliver(notice);
    await this.schedule(notice);
    return notice;
  }

  async cancelMaintenance(server: string, actorId: string): Promise<void> {
    const notice = await this.store.activeMaintenance(server);
    if (!notice) throw new AppError(ErrorCode.not_found, "No maintenance is scheduled on that server");
    await this.remove(notice.id, actorId);
    await this.ctx.audit("maintenance.cancelled", actorId, server);
  }

  /**
   * The lobby closed or reopened the server by another path: its maintenance is over. Retire the
   * notice so its countdown cannot close the server again later, and so a new one can be started.
   */
  async endMaintenance(server: string): Promise<void> {
    const notice = await this.store.activeMaintenance(server);
    if (!notice || !(await this.store.markDeleted(notice.id))) return;
    await this.cancelTimers(notice.id);
    this.takeDown(notice);
  }
}
