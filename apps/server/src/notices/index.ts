import type { FastifyInstance } from "fastify";
import type { AppContext } from "../context.js";
import { setupAdminNamespace } from "./admin-namespace.js";
import { adminPage } from "./admin-page.js";
import { noticeRoutes } from "./routes.js";
import { NoticeService } from "./service.js";
import { NoticeStore } from "./store.js";

/** Registered after the lobby: notices close servers through ctx.gameServers. */
export async function registerNotices(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const notices = new NoticeService(ctx, new NoticeStore(ctx.db));
  const fail = (err: unknown) => ctx.log.error({ err }, "notices");

  // A late joiner gets what is still active for its scope.
  ctx.io.of("/").on("connection", (socket) => {
    void notices.store
      .activeCached(new Date(), { scopeKind: "all" })
      .then((active) => socket.emit("notices:snapshot", active))
      .catch(fail);
  });
  // On a game server the snapshot follows the welcome, as docs/protocol.md promises.
  ctx.bus.on("server.welcomed", ({ socket, server }) => {
    void notices.store
      .activeCached(new Date(), { scopeKind: "server", serverSlug: server })
      .then((active) => socket.emit("notices:snapshot", active))
      .catch(fail);
  });
  ctx.bus.on("channel.joined", ({ socket, server, channel }) => {
    void notices.store
      .activeCached(new Date(), { scopeKind: "channel", serverSlug: server, channel })
      .then((active) => {
        for (const notice of active) socket.emit("notice:posted", notice);
      })
      .catch(fail);
  });

  // Our own countdown closes through the lobby too; by then its notice is already retired.
  for (const event of ["server.closed", "server.reopened"] as const) {
    ctx.bus.on(event, ({ server }) => void notices.endMaintenance(server).catch(fail));
  }

  await noticeRoutes(app, ctx, notices);
  setupAdminNamespace(ctx, notices);
  await adminPage(app);
  await notices.boot();
}
