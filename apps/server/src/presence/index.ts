import type { AppContext } from "../context.js";
import type { FriendStore } from "../friends/store.js";
import { handle } from "../realtime/handle.js";
import { PresenceService } from "./service.js";
import { MemoryPresenceStore, type PresenceStore } from "./store.js";

/** Presence lives on `/`, which every signed-in client joins: broadcasts stop at namespaces. */
export function registerPresence(
  ctx: AppContext,
  friends: FriendStore,
  store: PresenceStore = new MemoryPresenceStore(),
) {
  const presence = new PresenceService(ctx, store, friends);
  if (store instanceof MemoryPresenceStore) {
    for (const name of Object.keys(store.sizes())) ctx.trackSize(name, () => store.sizes()[name] ?? 0);
  }
  ctx.trackSize("presence.offlineTimers", () => presence.pendingOfflineTimers);
  const fail = (err: unknown) => ctx.log.error({ err }, "presence");

  ctx.io.of("/").on("connection", (socket) => {
    const connected = presence.connected(socket).catch(fail);
    socket.on("disconnect", () => {
      void connected.then(() => presence.disconnected(socket)).catch(fail);
    });
    handle(
      socket,
      "presence:announce",
      async () => {
        await connected;
        return { announced: await presence.announce(socket) };
      },
      ctx.log,
    );
    handle(
      socket,
      "presence:appear_offline",
      async ({ appearOffline }) => {
        await presence.setAppearOffline(socket, appearOffline);
        return { appearOffline };
      },
      ctx.log,
    );
  });

  ctx.bus.on("location.changed", ({ userId, location }) => {
    void presence.locationChanged(userId, location).catch(fail);
  });
  ctx.onShutdown(() => presence.shutdown());
  return presence;
}
