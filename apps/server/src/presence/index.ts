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
  const fail = (err: unknown) => ctx.log.error({ err }, "presence");

  const { registry } = ctx.cluster;
  ctx.io.of("/").on("connection", (socket) => {
    const info = { id: socket.id, nsp: "/", userId: socket.data.userId, username: socket.data.username };
    const connected = Promise.all([registry.add(info), presence.connected(info)]).catch(fail);
    socket.on("disconnect", () => {
      void connected
        .then(() => Promise.all([registry.remove(info), presence.disconnected(info)]))
        .catch(fail);
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
  // Sockets of a node that died close here instead: the grace period starts now, on this node.
  registry.onLost(async (socket) => {
    if (socket.nsp === "/") await presence.disconnected(socket);
  });
  return presence;
}
