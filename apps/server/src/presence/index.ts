import type { AppContext } from "../context.js";
import type { FriendStore } from "../friends/store.js";
import { handlers } from "../realtime/handle.js";
import { ConnectWork, infoOf } from "../realtime/registrations.js";
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
  const fail = (err: unknown) => ctx.log.error({ err }, "presence");

  const { registry } = ctx.cluster;
  // Listeners built once and shared by every `/` socket: a connection keeps no closures.
  const connecting = new ConnectWork();
  const attach = handlers(
    {
      "presence:announce": async (_payload, { socket }) => {
        await connecting.done(socket);
        return { announced: await presence.announce(socket) };
      },
      "presence:appear_offline": async ({ appearOffline }, { socket }) => {
        await presence.setAppearOffline(socket, appearOffline);
        return { appearOffline };
      },
    },
    ctx.log,
  );
  function onDisconnect(this: IoSocket): void {
    const info = infoOf(this);
    void connecting
      .done(this)
      .then(() => Promise.all([registry.remove(info), presence.disconnected(info)]))
      .catch(fail);
  }
  ctx.io.of("/").on("connection", (socket) => {
    const info = infoOf(socket);
    // Never fails (errors are logged), so the disconnect and an announce always go ahead.
    connecting.track(
      socket,
      Promise.all([registry.add(info), presence.connected(info)]).then(() => {}, fail),
    );
    socket.on("disconnect", onDisconnect);
    attach(socket);
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
