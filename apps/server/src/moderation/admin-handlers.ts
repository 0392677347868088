import { Namespaces, type StatsHistory } from "@rally/protocol";
import type { AppContext } from "../context.js";
import { handle } from "../realtime/handle.js";
import type { AdminConsole } from "./console.js";
import type { ModerationService } from "./service.js";

/** `/admin` (admins only; the notices feature guards the handshake): the HTTP API over acks. */
export function registerAdminHandlers(
  ctx: AppContext,
  moderation: ModerationService,
  adminConsole: AdminConsole,
  history: () => StatsHistory,
): void {
  ctx.io.of(Namespaces.admin).on("connection", (socket) => {
    // The handshake guard lives with the notices feature; never serve moderation without it.
    if (socket.data.role !== "admin") return void socket.disconnect(true);
    const actor = socket.data.userId;
    handle(socket, "moderation:mute", (input) => moderation.mute(actor, input), ctx.log);
    handle(
      socket,
      "moderation:ban",
      (input) => moderation.ban(actor, { ...input, durationSeconds: input.durationSeconds ?? null }),
      ctx.log,
    );
    handle(
      socket,
      "moderation:unmute",
      ({ userId, reason }) => moderation.lift("mute", actor, userId, reason),
      ctx.log,
    );
    handle(
      socket,
      "moderation:unban",
      ({ userId, reason }) => moderation.lift("ban", actor, userId, reason),
      ctx.log,
    );
    handle(socket, "players:search", ({ query }) => adminConsole.search(query), ctx.log);
    handle(socket, "player:get", ({ userId }) => adminConsole.player(userId), ctx.log);
    handle(socket, "audit:list", (query) => adminConsole.audit(query), ctx.log);
    handle(socket, "reports:list", ({ status }) => moderation.store.reports(status), ctx.log);
    handle(
      socket,
      "reports:resolve",
      ({ id, resolution }) => adminConsole.resolveReport(id, actor, resolution),
      ctx.log,
    );
    handle(socket, "stats:history", () => history(), ctx.log);
  });
}
