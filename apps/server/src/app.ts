import { EventEmitter } from "node:events";
import fs from "node:fs";
import http from "node:http";
import type { Socket } from "node:net";
import jwt from "@fastify/jwt";
import rateLimit from "@fastify/rate-limit";
import Fastify, { type FastifyInstance } from "fastify";
import { Gauge } from "prom-client";
import { createCluster } from "./cluster/index.js";
import { ensureAdmin } from "./auth/admins.js";
import { configureHashing } from "./auth/passwords.js";
import { requireUser, authRoutes } from "./auth/routes.js";
import { SessionService } from "./auth/sessions.js";
import { AccountStore } from "./auth/store.js";
import { type AppConfig, databaseKind } from "./config.js";
import { type AppContext, type DomainEvents, type GameServerControl, noModeration } from "./context.js";
import { createDb, tuneSqlite } from "./db.js";
import { compressResponses, serveClient } from "./http/client-files.js";
import { installErrorHandler } from "./http/errors.js";
import { installTextGuard } from "./http/text-guard.js";
import { loggerOptions } from "./http/logging.js";
import { securityHeaders } from "./http/security-headers.js";
import { registerOpenApi } from "./http/openapi.js";
import { healthRoutes } from "./ops/health.js";
import { refuseWritesToLostFile } from "./ops/lost-database.js";
import { closeHotReads, hotReads } from "./hot-reads.js";
import { createMetrics } from "./ops/metrics.js";
import { originAllowed, installSocketAuth } from "./realtime/socket-auth.js";
import { SessionGuard } from "./realtime/session-guard.js";
import { socketIoPlugin } from "./realtime/socket-plugin.js";
import { registerFeatures } from "./features.js";

/**
 * Pending-connection queue of the listening socket. Node's default (511) overflows when a
 * restart's reconnect storm arrives while the event loop is busy, and the kernel then resets
 * connections (ECONNRESET); Linux caps it at net.core.somaxconn.
 */
export const LISTEN_BACKLOG = 4096;

/** Expired and revoked sessions are deleted at start and then this often. */
const SESSION_PRUNE_INTERVAL_MS = 3_600_000;

/** After the drain, how long closing WebSockets get to finish before their connections are cut. */
const SHUTDOWN_CUT_MS = 1_000;

/** Socket.IO's transport cap: a packet beyond it closes only the sender's connection. */
const TRANSPORT_MAX_BYTES = 1_000_000;

const missingGameServers = new Proxy({} as GameServerControl, {
  get() {
    throw new Error("the lobby feature is not registered");
  },
});

/**
 * The server's open TCP connections, upgraded WebSockets included: closing the HTTP server waits
 * for every one of them to end.
 */
function openConnections(server: http.Server): Set<Socket> {
  const open = new Set<Socket>();
  server.on("connection", (socket: Socket) => {
    open.add(socket);
    socket.once("close", () => open.delete(socket));
  });
  return open;
}

/** Slow clients may not hold connections: headers, whole request, idle socket, idle keep-alive. */
function boundedHttpServer(handler: http.RequestListener, limits: AppConfig["limits"]): http.Server {
  const server = http.createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      // Node checks the header and request timeouts on this period (default 30 s).
      connectionsCheckingInterval: Math.max(50, Math.min(1_000, Math.floor(limits.headersTimeoutMs / 2))),
    },
    handler,
  );
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.setTimeout(limits.connectionTimeoutMs);
  // Beyond this, new connections are refused at accept: file descriptors stay for the database.
  server.maxConnections = limits.maxConnections;
  return server;
}

export async function buildApp(config: AppConfig): Promise<FastifyInstance> {
  const { limits } = config;
  const app = Fastify({
    logger: loggerOptions(config.logLevel),
    bodyLimit: 64 * 1024,
    return503OnClosing: true,
    // Fastify accepts a hop count too; its types only list the other forms.
    trustProxy: config.trustProxy as boolean | string,
    // Idle keep-alive connections are closed at shutdown instead of holding it up.
    forceCloseConnections: "idle",
    serverFactory: (handler) => boundedHttpServer(handler, limits),
  });
  const connections = openConnections(app.server);
  installErrorHandler(app);
  installTextGuard(app);
  await securityHeaders(app);
  await compressResponses(app);
  const cluster = await createCluster(config, app.log);
  // With Redis the HTTP limits (login, register) count across every node, not per node.
  await app.register(rateLimit, {
    global: false,
    ...(cluster.redis
      ? { redis: cluster.redis, nameSpace: `${config.redisPrefix}http-rate:`, skipOnError: true }
      : {}),
  });
  await registerOpenApi(app);
  await app.register(jwt, { secret: config.sessionSecret });

  let closing = false;
  // A response finished during shutdown closes its connection: an idle keep-alive socket must
  // not hold the close until its timeout.
  app.addHook("onSend", async (_request, reply) => {
    if (closing) reply.header("connection", "close");
  });
  configureHashing(limits);
  const sqlite = databaseKind(config.databaseUrl) === "sqlite";
  const prisma = createDb(config.databaseUrl, limits.dbBusyTimeoutMs);
  const db = sqlite ? refuseWritesToLostFile(prisma, config.databaseUrl) : prisma;
  if (sqlite) await tuneSqlite(db);
  // Opened now, not by the first player: its statements are ready before the first connect.
  hotReads(db);
  const shutdownTasks: (() => Promise<void> | void)[] = [];
  await app.register(socketIoPlugin, {
    ...(cluster.adapter ? { adapter: cluster.adapter } : {}),
    maxHttpBufferSize: TRANSPORT_MAX_BYTES,
    // A silent network drop is only noticed by the heartbeat: 10 s + 5 s keeps detection well
    // inside the 30 s seat grace window (Socket.IO's default is 25 s + 20 s).
    pingInterval: 10_000,
    pingTimeout: 5_000,
    allowRequest: (req, callback) => {
      // While shutting down, new handshakes are refused; clients retry and reach the next process.
      if (closing) return callback("shutting_down", false);
      const allowed = originAllowed(req, config.allowedOrigins);
      callback(allowed ? null : "forbidden_origin", allowed);
    },
    ...(config.connectionRecovery
      ? {
          connectionStateRecovery: {
            // Recovery only helps while the seat is still held: keeping session state longer
            // costs memory per dropped socket for nothing.
            maxDisconnectionDuration: config.seatGraceMs,
            // Socket.IO skips every middleware for a recovered socket by default: a logged-out
            // player, a demoted admin or a closed server would come back with the rights they had.
            skipMiddlewares: false,
          },
        }
      : {}),
    // biome-ignore lint/complexity/noBannedTypes: the plugin types its callback as Function
    preClose: (done: Function) => {
      closing = true;
      Promise.allSettled(shutdownTasks.map((task) => task())).then(() => {
        // Close the transports, not the sockets: clients see "transport close" and reconnect by
        // themselves (to the restarted server). `disconnectSockets()` would send "io server
        // disconnect", after which socket.io-client never retries.
        app.io.engine.close();
        // Fastify already answers new requests 503 with `Connection: close`. Closing idle
        // keep-alive connections at once would reset requests already on their way (the client
        // sent them, the server has not read them yet): give them a moment first.
        setTimeout(done, limits.shutdownDrainMs);
        // A client whose network is gone never answers the WebSocket close, and ws would wait
        // 30 s for it, holding the shutdown: whatever is still open a moment later is cut.
        setTimeout(() => {
          for (const socket of connections) socket.destroy();
        }, limits.shutdownDrainMs + SHUTDOWN_CUT_MS).unref();
      });
    },
  });

  const accounts = new AccountStore(db);
  const sessions = new SessionService(app.jwt, accounts, config.tokenTtlSeconds);
  const metrics = createMetrics();
  const sizes = new Map<string, () => number>();
  const stateSizes = () => Object.fromEntries([...sizes].map(([name, size]) => [name, size()]));
  app.decorate("stateSizes", stateSizes);
  new Gauge({
    name: "rally_state_entries",
    help: "Entries held in memory per player or room, by collection (should follow the population)",
    labelNames: ["collection"] as const,
    registers: [metrics.registry],
    collect() {
      for (const [collection, count] of Object.entries(stateSizes())) this.set({ collection }, count);
    },
  });
  const guard = new SessionGuard(app.io, accounts, app.log);
  // Read at call time: the moderation feature replaces ctx.moderation when it registers.
  const refusal = (userId: string) => ctx.moderation.refusal(userId);
  const authenticated = requireUser(sessions, refusal);
  const ctx: AppContext = {
    config,
    db,
    cluster,
    io: app.io,
    log: app.log,
    metrics,
    accounts,
    sessions,
    bus: new EventEmitter<DomainEvents>(),
    gameServers: missingGameServers,
    moderation: noModeration,
    requireUser: authenticated,
    requireAdmin: async (request, reply) => {
      await authenticated(request, reply);
      if (reply.sent) return;
      if (request.auth?.user.role !== "admin") {
        request.log.warn({ userId: request.auth?.user.id, url: request.url }, "non-admin refused");
        await ctx.audit("admin.refused", request.auth?.user.id ?? null, `${request.method} ${request.url}`);
        return reply.code(403).send({ error: { code: "forbidden", message: "Admins only" } });
      }
    },
    disconnectSession: (sessionId) => {
      guard.disconnectSession(sessionId);
      // Other nodes close their sockets of it and drop their cached copy at once.
      if (cluster.mode === "redis") app.io.serverSideEmit("session:revoked", sessionId);
    },
    rightsChanged: (userId) => {
      // Every node re-checks its own sockets of that user (demotion cuts /admin everywhere).
      if (cluster.mode === "redis") app.io.serverSideEmit("rights:changed", userId);
      return guard.recheck(userId);
    },
    audit: async (action, actorId, target, detail) => {
      await db.auditEntry.create({
        data: {
          action,
          actorId,
          target: target ?? null,
          detail: detail === undefined ? null : JSON.stringify(detail),
        },
      });
    },
    onShutdown: (task) => {
      shutdownTasks.push(task);
    },
    trackSize: (name, size) => {
      sizes.set(name, size);
    },
  };

  if (config.bootstrapAdmin) {
    const { username, password } = config.bootstrapAdmin;
    const outcome = await ensureAdmin(accounts, username, password);
    app.log.info({ username, outcome }, "bootstrap admin");
  }
  const floodGuard = installSocketAuth(app.io, sessions, metrics, config.socketLimits, app.log, refusal);
  ctx.trackSize("flood.users", () => floodGuard.trackedUsers());
  guard.start(limits.sessionCheckMs, SESSION_PRUNE_INTERVAL_MS);
  app.io.on("rights:changed", (userId) => void guard.recheck(userId).catch(() => {}));
  app.io.on("session:revoked", (sessionId) => {
    sessions.forget(sessionId);
    guard.disconnectSession(sessionId);
  });
  shutdownTasks.push(() => guard.stop());
  await authRoutes(app, ctx);
  await healthRoutes(app, ctx);
  await registerFeatures(app, ctx);

  if (config.clientDir && fs.existsSync(config.clientDir)) await serveClient(app, config.clientDir);

  app.addHook("onClose", async () => {
    await cluster.close();
    await closeHotReads(db);
    await db.$disconnect();
  });
  return app;
}
