import type { FastifyInstance } from "fastify";
import type { AppContext } from "../context.js";
import { handlers } from "../realtime/handle.js";
import { GameServerCatalog } from "./catalog.js";
import { setupGameServerNamespaces } from "./connection.js";
import { gameServerControl } from "./control.js";
import { LobbyHub } from "./hub.js";
import { GameServerNamespaces } from "./namespaces.js";
import { MemoryLobbyStore } from "./memory-store.js";
import { lobbyRoutes } from "./routes.js";
import { lostSeatCount } from "./seat-loss.js";
import type { LobbyStore } from "./store.js";

/** Population changes arrive in bursts; the server list is pushed at most once per interval. */
const SERVER_LIST_INTERVAL_MS = 1_000;

export async function registerLobby(
  app: FastifyInstance,
  ctx: AppContext,
  store: LobbyStore = new MemoryLobbyStore(),
) {
  // Other nodes cache the catalog for a second: a change made here reaches them at once.
  const catalog = new GameServerCatalog(ctx.db, (slug) => {
    if (ctx.cluster.mode === "redis") ctx.io.serverSideEmit("servers:changed", slug);
  });
  await catalog.seedDefaults();
  const namespaces = new GameServerNamespaces(ctx.io, catalog);
  await namespaces.refresh();

  // One timer for the whole cluster: the first change arms it, later ones within the interval
  // find it armed, and whichever node claims it pushes the list to every node's clients.
  const { scheduler } = ctx.cluster;
  scheduler.define("lobby.servers-updated", async () => {
    ctx.io.of("/").emit("servers:updated", await hub.summaries());
  });
  const pushServerList = () => {
    void scheduler
      .schedule(
        "lobby.servers-updated",
        "lobby.servers-updated",
        Date.now() + SERVER_LIST_INTERVAL_MS,
        null,
        {
          keepExisting: true,
        },
      )
      .catch((err) => ctx.log.error({ err }, "server list push"));
  };

  const hub = new LobbyHub(ctx, catalog, namespaces, store, pushServerList);
  if (store instanceof MemoryLobbyStore) {
    for (const name of Object.keys(store.sizes())) ctx.trackSize(name, () => store.sizes()[name] ?? 0);
  }
  ctx.trackSize("lobby.passwordAttempts", () => hub.passwordAttempts.size());
  ctx.trackSize("lobby.lostSeats", () => lostSeatCount(hub));
  ctx.gameServers = gameServerControl(hub);
  setupGameServerNamespaces(hub);

  ctx.io.of("/").on("connection", handlers({ "servers:list": () => hub.summaries() }, ctx.log));
  // Every node has every game server's namespace, so cluster-wide broadcasts, disconnects and
  // room moves reach sockets on nodes where nobody has opened it yet. Created once every feature
  // has hooked `new_namespace`; servers added at run time are announced to every node.
  app.addHook("onReady", async () => {
    for (const server of await catalog.list()) if (server.status === "open") hub.nsp(server.slug);
  });
  ctx.io.on("servers:changed", () => catalog.invalidate());
  ctx.io.on("servers:created", (slug) => {
    catalog.invalidate();
    namespaces.opened(slug);
    hub.nsp(slug);
  });

  await lobbyRoutes(app, ctx, hub);
  ctx.onShutdown(() => hub.lists.clear());
}
