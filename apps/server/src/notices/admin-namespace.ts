import { ErrorCode, Namespaces } from "@rally/protocol";
import type { AppContext } from "../context.js";
import { handle } from "../realtime/handle.js";
import { connectError } from "../realtime/socket-auth.js";
import type { NoticeService } from "./service.js";

const STATS_INTERVAL_MS = 2_000;
const STATS = "admin.stats";

/** `/admin`: the same operations as the HTTP API over acks, plus a live statistics stream. */
export function setupAdminNamespace(ctx: AppContext, notices: NoticeService): void {
  const admin = ctx.io.of(Namespaces.admin);

  admin.use((socket, next) => {
    if (socket.data.role === "admin") return next();
    ctx.log.warn({ userId: socket.data.userId }, "non-admin refused at /admin");
    void ctx.audit("admin.refused", socket.data.userId ?? null, "/admin handshake").catch(() => {});
    next(connectError(ErrorCode.forbidden, "Admins only"));
  });

  // One stream for the whole cluster: whichever node claims the timer pushes the cluster's stats
  // to every admin on every node, then re-arms it while any admin is connected anywhere.
  const { scheduler, registry } = ctx.cluster;
  const armStats = () =>
    scheduler.schedule(STATS, STATS, Date.now() + STATS_INTERVAL_MS, null, { keepExisting: true });
  scheduler.define(STATS, async () => {
    if ((await registry.userCount(Namespaces.admin)) === 0) return;
    admin.emit("stats:updated", await ctx.gameServers.stats());
    await armStats();
  });
  const fail = (err: unknown) => ctx.log.error({ err }, "stats");

  admin.on("connection", (socket) => {
    const actor = socket.data.userId;
    const info = { id: socket.id, nsp: Namespaces.admin, userId: actor, username: socket.data.username };
    const registered = registry.add(info);
    socket.on("disconnect", () => void registered.then(() => registry.remove(info)).catch(fail));
    void registered
      .then(async () => {
        socket.emit("stats:updated", await ctx.gameServers.stats());
        await armStats();
      })
      .catch(fail);
    handle(socket, "notices:create", (input) => notices.create(input, actor), ctx.log);
    handle(socket, "notices:list", () => notices.store.list(), ctx.log);
    handle(socket, "notices:delete", ({ id }) => notices.remove(id, actor), ctx.log);
    handle(
      socket,
      "maintenance:start",
      ({ server, countdownSeconds, text }) => notices.startMaintenance(server, countdownSeconds, text, actor),
      ctx.log,
    );
    handle(socket, "maintenance:cancel", ({ server }) => notices.cancelMaintenance(server, actor), ctx.log);
    handle(socket, "stats:get", () => ctx.gameServers.stats(), ctx.log);
  });
}
