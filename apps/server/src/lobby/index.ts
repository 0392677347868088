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
  const catalog = new GameServerCatalog(ctx.db);
  await catalog.seedDefaults();
  const namespaces = new GameServerNamespaces(ctx.io, catalog);
  await namespaces.refresh();

  let pending: NodeJS.Timeout | null = null;
  const pushServerList = () => {
    if (pending) return;
    pending = setTimeout(async () => {
      pending = null;
      try {
        const servers = await catalog.list();
        ctx.io.of("/").emit(
          "servers:updated",
          servers.map((s) => hub.summary(s)),
        );
      } catch (err) {
        ctx.log.error({ err }, "server list push");
      }
    }, SERVER_LIST_INTERVAL_MS);
  };

  const hub = new LobbyHub(ctx, catalog, namespaces, store, pushServerList);
  if (store instanceof MemoryLobbyStore) {
    for (const name of Object.keys(store.sizes())) ctx.trackSize(name, () => store.sizes()[name] ?? 0);
  }
  ctx.trackSize("lobby.graceTimers", () => hub.graceTimers.size);
  ctx.trackSize("lobby.passwordAttempts", () => hub.passwordAttempts.size());
  ctx.trackSize("lobby.lostSeats", () => lostSeatCount(hub));
  ctx.gameServers = gameServerControl(hub);
  setupGameServerNamespaces(hub);

  const attach = handlers(
    { "servers:list": async () => (await catalog.list()).map((s) => hub.summary(s)) },
    ctx.log,
  );
  ctx.io.of("/").on("connection", attach);

  await lobbyRoutes(app, ctx, hub);
  ctx.onShutdown(() => {
    if (pending) clearTimeout(pending);
    hub.lists.clear();
    for (const timer of hub.graceTimers.values()) clearTimeout(timer);
    hub.graceTimers.clear();
  });
}
