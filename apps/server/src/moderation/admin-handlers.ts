import { Namespaces, type StatsHistory } from "@rally/protocol";
import type { AppContext } from "../context.js";
import { handlers } from "../realtime/handle.js";
import type { AdminConsole } from "./console.js";
import type { ModerationService } from "./service.js";

/** `/admin` (admins only; the notices feature guards the handshake): the HTTP API over acks. */
export function registerAdminHandlers(
  ctx: AppContext,
  moderation: ModerationService,
  adminConsole: AdminConsole,
  history: () => StatsHistory,
): void {
  // Built once and shared by every admin socket; the actor is the sending socket's user.
  const attach = handlers(
    {
      "moderation:mute": (input, { userId: actor }) => moderation.mute(actor, input),
      "moderation:ban": (input, { userId: actor }) =>
        moderation.ban(actor, { ...input, durationSeconds: input.durationSeconds ?? null }),
      "moderation:unmute": ({ userId, reason }, { userId: actor }) =>
        moderation.lift("mute", actor, userId, reason),
      "moderation:unban": ({ userId, reason }, { userId: actor }) =>
        moderation.lift("ban", actor, userId, reason),
      "players:search": ({ query }) => adminConsole.search(query),
      "player:get": ({ userId }) => adminConsole.player(userId),
      "audit:list": (query) => adminConsole.audit(query),
      "reports:list": ({ status }) => moderation.store.reports(status),
      "reports:resolve": ({ id, resolution }, { userId: actor }) =>
        adminConsole.resolveReport(id, actor, resolution),
      "stats:history": () => history(),
    },
    ctx.log,
  );
  ctx.io.of(Namespaces.admin).on("connection", (socket) => {
    // The handshake guard lives with the notices feature; never serve moderation without it.
    if (socket.data.role !== "admin") return void socket.disconnect(true);
    attach(socket);
  });
}
