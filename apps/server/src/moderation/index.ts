import type { FastifyInstance } from "fastify";
import type { AppContext } from "../context.js";
import type { PresenceStore } from "../presence/store.js";
import { handlers } from "../realtime/handle.js";
import { registerAdminHandlers } from "./admin-handlers.js";
import { AdminConsole } from "./console.js";
import { ignoreHandlers, reportHandlers } from "./player-handlers.js";
import { moderationRoutes } from "./routes.js";
import { ModerationService } from "./service.js";
import { statsHistory } from "./stats-history.js";
import { ModerationStore } from "./store.js";

/**
 * Mutes, bans, reports, ignore lists and the chat filter, plus what the admin page reads (player
 * search, audit log, population history). Registered after the lobby: reports read its chat
 * history through ctx.gameServers, and its chat asks ctx.moderation before anything goes out.
 */
export async function registerModeration(
  app: FastifyInstance,
  ctx: AppContext,
  presence: PresenceStore,
): Promise<void> {
  const store = new ModerationStore(ctx.db);
  const moderation = new ModerationService(ctx, store);
  const adminConsole = new AdminConsole(ctx, store, presence);
  const sampler = statsHistory(ctx);
  ctx.moderation = moderation;

  // Listeners built once, shared by every socket (and every game server's namespace).
  ctx.io.of("/").on("connection", handlers(ignoreHandlers(ctx, store), ctx.log));
  const attachReports = handlers(reportHandlers(ctx, store), ctx.log);
  ctx.io.on("new_namespace", (nsp) => {
    if (!nsp.name.startsWith("/servers/")) return;
    nsp.on("connection", attachReports);
  });
  registerAdminHandlers(ctx, moderation, adminConsole, sampler.history);
  await moderationRoutes(app, ctx, moderation, adminConsole, sampler.history);
}
