import type { FastifyInstance } from "fastify";
import type { AppContext } from "./context.js";
import { registerFriends } from "./friends/index.js";
import { FriendStore } from "./friends/store.js";
import { registerLobby } from "./lobby/index.js";
import { registerModeration } from "./moderation/index.js";
import { registerNotices } from "./notices/index.js";
import { registerPresence } from "./presence/index.js";

/**
 * Each product feature registers its routes, namespaces and handlers here. Keep this list the
 * only place that knows which features exist.
 */
export async function registerFeatures(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const friends = new FriendStore(ctx.db, ctx.config.friendLimits);
  const presence = registerPresence(ctx, friends, ctx.cluster.presenceStore);
  registerFriends(ctx, friends, presence);
  await registerLobby(app, ctx, ctx.cluster.lobbyStore);
  await registerNotices(app, ctx);
  await registerModeration(app, ctx, presence.store);
}
