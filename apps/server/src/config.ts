import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Limits } from "@rally/protocol";

export interface AppConfig {
  host: string;
  port: number;
  databaseUrl: string;
  sessionSecret: string;
  logLevel: string;
  /** null means same-origin only: the Origin must match the Host the request was sent to. */
  allowedOrigins: string[] | null;
  tokenTtlSeconds: number;
  loginRateLimit: { max: number; windowMs: number };
  /** How long a dropped player keeps a waiting-room seat. */
  seatGraceMs: number;
  /** How long after the last connection closes before friends see a player go offline. */
  presenceGraceMs: number;
  inviteTimeoutMs: number;
  /** Friend-request limits: pending outgoing requests, and requests sent per hour. */
  friendLimits: { maxPending: number; perHour: number };
  /** Per-user and per-socket limits on the realtime API (README "Security and limits"). */
  socketLimits: SocketLimits;
  /** Built game client to serve at `/`; null serves nothing there. */
  clientDir: string | null;
  /** Creates or promotes this admin at start when both are set. */
  bootstrapAdmin: { username: string; password: string } | null;
}

export interface SocketLimits {
  maxSocketsPerUser: number;
  socketBudget: { burst: number; perSecond: number };
  userBudget: { burst: number; perSecond: number };
  floodStrikes: number;
  floodStrikeWindowMs: number;
  /** Wrong room passwords a minute. */
  roomPasswordTries: { perUser: number; perRoom: number };
}

export const DEFAULT_SOCKET_LIMITS: SocketLimits = {
  maxSocketsPerUser: Limits.maxSocketsPerUser,
  socketBudget: Limits.socketBudget,
  userBudget: Limits.userBudget,
  floodStrikes: Limits.floodStrikes,
  floodStrikeWindowMs: Limits.floodStrikeWindowMs,
  roomPasswordTries: { perUser: Limits.roomPasswordTriesPerUser, perRoom: Limits.roomPasswordTriesPerRoom },
};

export class ConfigError extends Error {}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

/** The secret survives restarts so that tokens issued before a restart stay valid. */
function persistentSecret(dataDir: string): string {
  const file = path.join(dataDir, "session-secret");
  if (fs.existsSync(file)) return fs.readFileSync(file, "utf8").trim();
  fs.mkdirSync(dataDir, { recursive: true });
  const secret = crypto.randomBytes(48).toString("base64url");
  fs.writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

function origins(raw: string | undefined): string[] | null {
  if (raw === undefined || raw.trim() === "") return null;
  return raw.split(",").map((entry) => {
    const trimmed = entry.trim();
    try {
      const url = new URL(trimmed);
      if (url.origin !== trimmed.replace(/\/$/, "")) throw new Error();
      return url.origin;
    } catch {
      throw new ConfigError(
        `ALLOWED_ORIGINS must be a comma-separated list of origins like http://host:3000, got "${trimmed}"`,
      );
    }
  });
}

function socketLimits(env: NodeJS.ProcessEnv): SocketLimits {
  const d = DEFAULT_SOCKET_LIMITS;
  return {
    maxSocketsPerUser: int(env, "MAX_SOCKETS_PER_USER", d.maxSocketsPerUser, 1, 1_000),
    socketBudget: {
      burst: int(env, "SOCKET_BUDGET_BURST", d.socketBudget.burst, 10, 1_000_000),
      perSecond: int(env, "SOCKET_BUDGET_PER_SECOND", d.socketBudget.perSecond, 1, 1_000_000),
    },
    userBudget: {
      burst: int(env, "USER_BUDGET_BURST", d.userBudget.burst, 10, 1_000_000),
      perSecond: int(env, "USER_BUDGET_PER_SECOND", d.userBudget.perSecond, 1, 1_000_000),
    },
    floodStrikes: int(env, "FLOOD_STRIKES", d.floodStrikes, 1, 1_000_000),
    floodStrikeWindowMs: d.floodStrikeWindowMs,
    roomPasswordTries: {
      perUser: int(env, "ROOM_PASSWORD_TRIES_PER_USER", d.roomPasswordTries.perUser, 1, 10_000),
      perRoom: int(env, "ROOM_PASSWORD_TRIES_PER_ROOM", d.roomPasswordTries.perRoom, 1, 100_000),
    },
  };
}

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const logLevel = env.LOG_LEVEL || "info";
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")}, got "${logLevel}"`);
  }
  const dataDir = path.resolve(env.DATA_DIR || "data");
  const databaseUrl = env.DATABASE_URL || `file:${path.join(dataDir, "rally.db")}`;
  if (!databaseUrl.startsWith("file:")) {
    throw new ConfigError(
      `DATABASE_URL must be a SQLite file URL like file:./data/rally.db, got "${databaseUrl}"`,
    );
  }
  const secret = env.SESSION_SECRET;
  if (secret !== undefined && secret !== "" && secret.length < 32) {
    throw new ConfigError("SESSION_SECRET must be at least 32 characters");
  }
  const adminUser = env.ADMIN_USERNAME;
  const adminPassword = env.ADMIN_PASSWORD;
  if (Boolean(adminUser) !== Boolean(adminPassword)) {
    throw new ConfigError("ADMIN_USERNAME and ADMIN_PASSWORD must be set together");
  }
  return {
    host: env.HOST || "0.0.0.0",
    port: int(env, "PORT", 3000, 0, 65535),
    databaseUrl,
    sessionSecret: secret || persistentSecret(dataDir),
    logLevel,
    allowedOrigins: origins(env.ALLOWED_ORIGINS),
    tokenTtlSeconds: int(env, "TOKEN_TTL_SECONDS", 7 * 24 * 3600, 60, 365 * 24 * 3600),
    loginRateLimit: { max: int(env, "LOGIN_RATE_LIMIT", 10, 1, 10_000), windowMs: 60_000 },
    seatGraceMs: int(env, "SEAT_GRACE_MS", 30_000, 0, 3_600_000),
    presenceGraceMs: int(env, "PRESENCE_GRACE_MS", 5_000, 0, 600_000),
    inviteTimeoutMs: int(env, "INVITE_TIMEOUT_MS", 30_000, 1_000, 600_000),
    friendLimits: {
      maxPending: int(env, "FRIEND_MAX_PENDING", Limits.maxPendingOutgoing, 1, 10_000),
      perHour: int(env, "FRIEND_REQUESTS_PER_HOUR", Limits.friendRequestsPerHour, 1, 100_000),
    },
    socketLimits: socketLimits(env),
    clientDir: env.CLIENT_DIR === "" ? null : path.resolve(env.CLIENT_DIR ?? "apps/game-client/dist"),
    bootstrapAdmin: adminUser && adminPassword ? { username: adminUser, password: adminPassword } : null,
  };
}
