import type { FastifyInstance } from "fastify";
import type { AppContext } from "../context.js";
import type { PresenceStore } from "../presence/store.js";
import { registerAdminHandlers } from "./admin-handlers.js";
import { AdminConsole } from "./console.js";
import { registerIgnoreHandlers, registerReportHandler } from "./player-handlers.js";
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

  ctx.io.of("/").on("connection", (socket) => registerIgnoreHandlers(ctx, store, socket));
  ctx.io.on("new_namespace", (nsp) => {
    if (!nsp.name.startsWith("/servers/")) return;
    nsp.on("connection", (socket) => registerReportHandler(ctx, store, socket));
  });
  registerAdminHandlers(ctx, moderation, adminConsole, sampler.history);
  await moderationRoutes(app, ctx, moderation, adminConsole, sampler.history);
}
