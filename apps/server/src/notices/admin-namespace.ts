import { ErrorCode, Namespaces } from "@rally/protocol";
import type { AppContext } from "../context.js";
import { handle } from "../realtime/handle.js";
import { connectError } from "../realtime/socket-auth.js";
import type { NoticeService } from "./service.js";

const STATS_INTERVAL_MS = 2_000;

/** `/admin`: the same operations as the HTTP API over acks, plus a live statistics stream. */
export function setupAdminNamespace(ctx: AppContext, notices: NoticeService): void {
  const admin = ctx.io.of(Namespaces.admin);

  admin.use((socket, next) => {
    if (socket.data.role === "admin") return next();
    ctx.log.warn({ userId: socket.data.userId }, "non-admin refused at /admin");
    void ctx.audit("admin.refused", socket.data.userId ?? null, "/admin handshake").catch(() => {});
    next(connectError(ErrorCode.forbidden, "Admins only"));
  });

  let streaming: NodeJS.Timeout | null = null;
  const pushStats = async () => {
    if (admin.sockets.size === 0) {
      if (streaming) clearInterval(streaming);
      streaming = null;
      return;
    }
    admin.emit("stats:updated", await ctx.gameServers.stats());
  };

  admin.on("connection", (socket) => {
    const actor = socket.data.userId;
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
    void pushStats().catch((err) => ctx.log.error({ err }, "stats"));
    streaming ??= setInterval(
      () => void pushStats().catch((err) => ctx.log.error({ err }, "stats")),
      STATS_INTERVAL_MS,
    );
  });

  ctx.onShutdown(() => {
    if (streaming) clearInterval(streaming);
  });
}
