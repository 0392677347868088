import type { AppContext } from "../context.js";
import type { FriendStore } from "../friends/store.js";
import { handlers } from "../realtime/handle.js";
import type { IoSocket } from "../types.js";
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

  // An announce waits for its socket's connect bookkeeping; kept here rather than in a closure.
  const connecting = new WeakMap<object, Promise<void>>();
  const attach = handlers(
    {
      "presence:announce": async (_payload, { socket }) => {
        await connecting.get(socket);
        return { announced: await presence.announce(socket as IoSocket) };
      },
      "presence:appear_offline": async ({ appearOffline }, { socket }) => {
        await presence.setAppearOffline(socket as IoSocket, appearOffline);
        return { appearOffline };
      },
    },
    ctx.log,
  );
  ctx.io.of("/").on("connection", (socket) => {
    const connected = presence.connected(socket).catch(fail);
    connecting.set(socket, connected);
    socket.on("disconnect", () => {
      void connected.then(() => presence.disconnected(socket)).catch(fail);
    });
    attach(socket);
  });

  ctx.bus.on("location.changed", ({ userId, location }) => {
    void presence.locationChanged(userId, location).catch(fail);
  });
  ctx.onShutdown(() => presence.shutdown());
  return presence;
}
