import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from "fastify";
import type { AccountStore } from "./auth/store.js";
import type { SessionService } from "./auth/sessions.js";
import type { AppConfig } from "./config.js";
import type { Db } from "./db.js";
import type { Metrics } from "./ops/metrics.js";
import type { IoServer } from "./types.js";

/** What every feature gets: shared services, built once per app by buildApp. */
export interface AppContext {
  config: AppConfig;
  db: Db;
  io: IoServer;
  log: FastifyBaseLogger;
  metrics: Metrics;
  accounts: AccountStore;
  sessions: SessionService;
  requireUser: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
  requireAdmin: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
  /** Disconnects every socket opened with this session, in every namespace, on every node. */
  disconnectSession: (sessionId: string) => void;
  audit: (action: string, actorId: string | null, target?: string, detail?: unknown) => Promise<void>;
  /** Runs when the app closes, before sockets are cut: clear timers, flush state. */
  onShutdown: (task: () => Promise<void> | void) => void;
}
