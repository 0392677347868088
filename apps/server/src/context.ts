import type { EventEmitter } from "node:events";
import type { ChatMessage, ErrorBody, LiveStats, Location } from "@rally/protocol";
import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from "fastify";
import type { SessionService } from "./auth/sessions.js";
import type { AccountStore } from "./auth/store.js";
import type { Cluster } from "./cluster/index.js";
import type { AppConfig } from "./config.js";
import type { Db } from "./db.js";
import type { Metrics } from "./ops/metrics.js";
import type { IoNamespace, IoServer, IoSocket } from "./types.js";

/**
 * In-process domain events between features, so that one feature never imports another's
 * internals. The lobby publishes where players are; presence listens.
 */
export interface DomainEvents {
  /** A player's whereabouts changed; `null` when they left every game server. */
  "location.changed": [{ userId: string; location: Location | null }];
  /** A socket joined a channel of a game server (notices sends it that channel's notices). */
  "channel.joined": [{ socket: IoSocket; server: string; channel: number }];
  /** A socket got `server:welcome` and `rooms:snapshot` (notices sends its snapshot after them). */
  "server.welcomed": [{ socket: IoSocket; server: string }];
  /** A game server was closed or reopened by any path (notices ends a running maintenance). */
  "server.closed": [{ server: string }];
  "server.reopened": [{ server: string }];
}

/** What the lobby offers other features (notices, admin) about game servers. */
export interface GameServerControl {
  /** Locks room creation on the server until it closes or maintenance is cancelled. */
  setMaintenance(slug: string, until: Date | null): Promise<void>;
  /** Marks the server closed, tells its players why, then disconnects them. */
  close(slug: string, reason: string): Promise<void>;
  reopen(slug: string): Promise<void>;
  exists(slug: string): Promise<boolean>;
  /** A catalog server's namespace, for broadcasts (never `io.of()`: that bypasses the catalog). */
  namespace(slug: string): IoNamespace;
  /** Channel numbers of a server, to validate a notice's scope. */
  channelCount(slug: string): Promise<number | null>;
  stats(): Promise<LiveStats>;
  /** Finds a line in the chat history the player can see on this server (channel or room). */
  findChatLine(slug: string, userId: string, messageId: string, around: number): Promise<ReportedLine | null>;
}

/**
 * What moderation offers the rest of the server (auth, the lobby's chat and invites). Without the
 * moderation feature nobody is banned, muted or ignored and nothing is masked.
 */
export interface ModerationHooks {
  /** Why this player may not sign in or connect (a ban), or null. */
  refusal(userId: string): Promise<ErrorBody | null>;
  /** Throws AppError `muted` (with the time left) while the player is muted. */
  assertCanChat(userId: string): Promise<void>;
  /** Masks the configured words. */
  mask(text: string): string;
  /** Players who ignore this one: their personal rooms are left out of its chat and invites. */
  ignorersOf(userId: string): Promise<string[]>;
  /** Players this one ignores: their lines are left out of the history it is sent. */
  ignoredBy(userId: string): Promise<Set<string>>;
}

export const noModeration: ModerationHooks = {
  refusal: async () => null,
  assertCanChat: async () => {},
  mask: (text) => text,
  ignorersOf: async () => [],
  ignoredBy: async () => new Set(),
};

/** What the lobby tells moderation about a chat line a player reports. */
export interface ReportedLine {
  message: ChatMessage;
  /** Human-readable place: `eu-1 channel 2` or `eu-1 room "Friday"`. */
  where: string;
  /** The lines around it, oldest first, the reported one included. */
  context: ChatMessage[];
}

/** What every feature gets: shared services, built once per app by buildApp. */
export interface AppContext {
  config: AppConfig;
  db: Db;
  /** Live state, timers and the socket registry: in memory, or in Redis shared by every node. */
  cluster: Cluster;
  io: IoServer;
  log: FastifyBaseLogger;
  metrics: Metrics;
  accounts: AccountStore;
  sessions: SessionService;
  bus: EventEmitter<DomainEvents>;
  /** Set by the lobby feature when it registers. */
  gameServers: GameServerControl;
  /** Set by the moderation feature when it registers. */
  moderation: ModerationHooks;
  requireUser: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
  requireAdmin: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
  /** Disconnects every socket opened with this session, in every namespace, on every node. */
  disconnectSession: (sessionId: string) => void;
  /**
   * Call after changing a user's role or revoking their sessions in this process: their open
   * sockets are checked again at once (demoted admins leave `/admin`). Changes made elsewhere
   * (the admin CLI, another node) are picked up within SESSION_CHECK_INTERVAL_MS.
   */
  rightsChanged: (userId: string) => Promise<void>;
  audit: (action: string, actorId: string | null, target?: string, detail?: unknown) => Promise<void>;
  /** Runs when the app closes, before sockets are cut: clear timers, flush state. */
  onShutdown: (task: () => Promise<void> | void) => void;
  /**
   * Names an in-memory collection that must shrink back when players leave; `app.stateSizes()`
   * reports them all (the leak test checks they return to zero).
   */
  trackSize: (name: string, size: () => number) => void;
}
