import type { SocketData } from "./auth.js";
import { adminSchemas, type AdminClientEvents, type AdminServerEvents } from "./notices.js";
import { lobbySchemas, type GameClientEvents, type GameServerEvents } from "./lobby.js";
import {
  ignoreSchemas,
  type IgnoreClientEvents,
  moderationAdminSchemas,
  type ModerationAdminEvents,
  type ModerationAdminServerEvents,
  reportSchemas,
  type ReportClientEvents,
  type SanctionServerEvents,
} from "./moderation.js";
import { socialSchemas, type SocialClientEvents, type SocialServerEvents } from "./social.js";

export * from "./auth.js";
export * from "./costs.js";
export * from "./empty.js";
export * from "./errors.js";
export * from "./limits.js";
export * from "./lobby.js";
export * from "./moderation.js";
export * from "./notices.js";
export * from "./social.js";

/**
 * Every inbound event, by name, with the schema its payload must pass. An event missing here has
 * no handler anywhere and is discarded (with `unknown_event` if it carried a callback).
 */
export const inboundSchemas = {
  ...socialSchemas,
  ...lobbySchemas,
  ...adminSchemas,
  ...moderationAdminSchemas,
  ...reportSchemas,
  ...ignoreSchemas,
} as const;
export type InboundEvent = keyof typeof inboundSchemas;

/** The union of all namespaces' maps: what the typed `io` decorator carries. */
export type ClientToServerEvents = SocialClientEvents &
  GameClientEvents &
  AdminClientEvents &
  ModerationAdminEvents &
  ReportClientEvents &
  IgnoreClientEvents;
export type ServerToClientEvents = SocialServerEvents &
  GameServerEvents &
  AdminServerEvents &
  ModerationAdminServerEvents &
  SanctionServerEvents;

/** Messages between server processes (serverSideEmit), for multi-node deployments. */
export interface InterServerEvents {
  "session:revoked": (sessionId: string) => void;
  /** A game server was added at run time: every node creates its namespace. */
  "servers:created": (slug: string) => void;
  /** A game server's catalog row changed on one node (renamed, closed, reopened, maintenance). */
  "servers:changed": (slug: string) => void;
  /** A user's role or sessions changed on one node: every node re-checks its sockets of that user. */
  "rights:changed": (userId: string) => void;
}

export type { SocketData };

export const Namespaces = {
  social: "/",
  admin: "/admin",
  gameServer: (slug: string) => `/servers/${slug}`,
  gameServerPattern: /^\/servers\/([a-z0-9-]{1,64})$/,
} as const;
