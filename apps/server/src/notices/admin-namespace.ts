import { ErrorCode, Namespaces } from "@rally/protocol";
import type { AppContext } from "../context.js";
import { handlers } from "../realtime/handle.js";
import { ConnectWork, infoOf } from "../realtime/registrations.js";
import { connectError } from "../realtime/socket-auth.js";
import type { IoSocket } from "../types.js";
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

  // Built once and shared by every admin socket; the actor is the sending socket's user.
  const attach = handlers(
    {
      "notices:create": (input, { userId: actor }) => notices.create(input, actor),
      "notices:list": () => notices.store.list(),
      "notices:delete": ({ id }, { userId: actor }) => notices.remove(id, actor),
      "maintenance:start": ({ server, countdownSeconds, text }, { userId: actor }) =>
        notices.startMaintenance(server, countdownSeconds, text, actor),
      "maintenance:cancel": ({ server }, { userId: actor }) => notices.cancelMaintenance(server, actor),
      "stats:get": () => ctx.gameServers.stats(),
    },
    ctx.log,
  );
  const registrations = new ConnectWork();
  function onDisconnect(this: IoSocket): void {
    const info = infoOf(this);
    void registrations
      .done(this)
      .then(() => registry.remove(info))
      .catch(fail);
  }
  admin.on("connection", (socket) => {
    const registered = registrations.track(socket, registry.add(infoOf(socket)));
    socket.on("disconnect", onDisconnect);
    void registered
      .then(async () => {
        socket.emit("stats:updated", await ctx.gameServers.stats());
        await armStats();
      })
      .catch(fail);
    attach(socket);
  });
}
