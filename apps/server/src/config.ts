import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Limits } from "@rally/protocol";
import {
  ConfigError,
  DEFAULT_LIMITS,
  DEFAULT_SOCKET_LIMITS,
  int,
  onOff,
  type SecurityLimits,
  securityLimits,
  type SocketLimits,
  socketLimits,
} from "./config-limits.js";

export { ConfigError, DEFAULT_LIMITS, DEFAULT_SOCKET_LIMITS, type SecurityLimits, type SocketLimits };

export interface AppConfig {
  host: string;
  port: number;
  /** `file:` for SQLite (embedded), `postgresql://` for PostgreSQL (several nodes). */
  databaseUrl: string;
  /** Live state and the Socket.IO adapter go to Redis when set; null keeps them in memory. */
  redisUrl: string | null;
  /** Prefix of every Redis key and stream this app uses, so several deployments can share one Redis. */
  redisPrefix: string;
  sessionSecret: string;
  logLevel: string;
  /** null means same-origin only: the Origin must match the Host the request was sent to. */
  allowedOrigins: string[] | null;
  tokenTtlSeconds: number;
  loginRateLimit: { max: number; windowMs: number };
  /** How long a dropped player keeps a waiting-room seat. */
  seatGraceMs: number;
  /**
   * Socket.IO connection-state recovery (replay of missed broadcasts after a short drop). Off,
   * a reconnecting client connects afresh and the welcome restores its state.
   */
  connectionRecovery: boolean;
  /** How long after the last connection closes before friends see a player go offline. */
  presenceGraceMs: number;
  inviteTimeoutMs: number;
  /** Friend-request limits: pending outgoing requests, and requests sent per hour. */
  friendLimits: { maxPending: number; perHour: number };
  /** Per-user and per-socket limits on the realtime API (README "Security and limits"). */
  socketLimits: SocketLimits;
  /** Built game client to serve at `/`; null serves nothing there. */
  clientDir: string | null;
  /** Words masked in chat (whole words, any letter case); empty: the filter is off. */
  chatFilterWords: string[];
  /** Creates or promotes this admin at start when both are set. */
  bootstrapAdmin: { username: string; password: string } | null;
  /** Hardening limits; see the README's "Security and limits". */
  limits: SecurityLimits;
  /** Fastify's trustProxy: whom to believe about the client's address and protocol. */
  trustProxy: boolean | number | string;
  /** `/metrics` needs this bearer token, or is served only on its own address; else 404. */
  metrics: { token: string | null; host: string | null; port: number | null };
}

const MIN_SECRET_LENGTH = 32;

/** The secret survives restarts so that tokens issued before a restart stay valid. */
function persistentSecret(dataDir: string): string {
  const file = path.join(dataDir, "session-secret");
  if (fs.existsSync(file)) {
    const secret = fs.readFileSync(file, "utf8").trim();
    if (secret.length < MIN_SECRET_LENGTH) {
      throw new ConfigError(
        `${file} must hold at least ${MIN_SECRET_LENGTH} characters (delete it to generate a new one)`,
      );
    }
    return secret;
  }
  // The folder holds the database with password hashes: nobody else may list or read it.
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
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

/** SQLite file URLs and PostgreSQL URLs; anything else is refused at start. */
export function databaseKind(url: string): "sqlite" | "postgres" {
  if (url.startsWith("file:")) return "sqlite";
  if (/^postgres(ql)?:\/\//.test(url)) return "postgres";
  throw new ConfigError(
    `DATABASE_URL must be file:./data/rally.db (SQLite) or postgresql://user@host:5432/db, got "${url}"`,
  );
}

function databaseUrlOf(raw: string): string {
  if (databaseKind(raw) === "postgres") {
    try {
      new URL(raw);
    } catch {
      throw new ConfigError(`DATABASE_URL is not a valid PostgreSQL URL: "${raw}"`);
    }
  }
  return raw;
}

function redisUrlOf(raw: string | undefined): string | null {
  if (raw === undefined || raw.trim() === "") return null;
  let url: URL | null = null;
  try {
    url = new URL(raw.trim());
  } catch {}
  if (!url || !["redis:", "rediss:"].includes(url.protocol) || !url.hostname) {
    throw new ConfigError(`REDIS_URL must look like redis://127.0.0.1:6379, got "${raw}"`);
  }
  return raw.trim();
}

function trustProxy(raw: string | undefined): boolean | number | string {
  if (raw === undefined || raw.trim() === "" || raw === "false") return false;
  if (raw === "true") return true;
  if (/^\d+$/.test(raw)) return Number(raw);
  return raw;
}

/** CHAT_FILTER_WORDS (comma-separated) and CHAT_FILTER_FILE (one word per line) add up. */
function filterWords(env: NodeJS.ProcessEnv): string[] {
  const words = (env.CHAT_FILTER_WORDS ?? "").split(",");
  const file = env.CHAT_FILTER_FILE;
  if (file) {
    try {
      words.push(...fs.readFileSync(path.resolve(file), "utf8").split(/\r?\n/));
    } catch {
      throw new ConfigError(`CHAT_FILTER_FILE cannot be read: "${file}"`);
    }
  }
  return [...new Set(words.map((word) => word.trim()).filter((word) => word && !word.startsWith("#")))];
}

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const logLevel = env.LOG_LEVEL || "info";
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")}, got "${logLevel}"`);
  }
  const dataDir = path.resolve(env.DATA_DIR || "data");
  const databaseUrl = databaseUrlOf(env.DATABASE_URL || `file:${path.join(dataDir, "rally.db")}`);
  const redisPrefix = env.REDIS_PREFIX || "rally:";
  if (!/^[\w:.-]{1,64}$/.test(redisPrefix)) {
    throw new ConfigError(
      `REDIS_PREFIX must be 1 to 64 letters, digits, ":", ".", "_" or "-", got "${redisPrefix}"`,
    );
  }
  const secret = env.SESSION_SECRET;
  if (secret !== undefined && secret !== "" && secret.length < MIN_SECRET_LENGTH) {
    throw new ConfigError(`SESSION_SECRET must be at least ${MIN_SECRET_LENGTH} characters`);
  }
  if (env.METRICS_TOKEN && env.METRICS_TOKEN.length < 16) {
    throw new ConfigError("METRICS_TOKEN must be at least 16 characters");
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
    redisUrl: redisUrlOf(env.REDIS_URL),
    redisPrefix,
    sessionSecret: secret || persistentSecret(dataDir),
    logLevel,
    allowedOrigins: origins(env.ALLOWED_ORIGINS),
    tokenTtlSeconds: int(env, "TOKEN_TTL_SECONDS", 7 * 24 * 3600, 60, 365 * 24 * 3600),
    loginRateLimit: { max: int(env, "LOGIN_RATE_LIMIT", 10, 1, 10_000), windowMs: 60_000 },
    seatGraceMs: int(env, "SEAT_GRACE_MS", 30_000, 0, 3_600_000),
    connectionRecovery: onOff(env, "CONNECTION_RECOVERY", true),
    presenceGraceMs: int(env, "PRESENCE_GRACE_MS", 5_000, 0, 600_000),
    inviteTimeoutMs: int(env, "INVITE_TIMEOUT_MS", 30_000, 1_000, 600_000),
    friendLimits: {
      maxPending: int(env, "FRIEND_MAX_PENDING", Limits.maxPendingOutgoing, 1, 10_000),
      perHour: int(env, "FRIEND_REQUESTS_PER_HOUR", Limits.friendRequestsPerHour, 1, 100_000),
    },
    socketLimits: socketLimits(env),
    clientDir: env.CLIENT_DIR === "" ? null : path.resolve(env.CLIENT_DIR ?? "apps/game-client/dist"),
    chatFilterWords: filterWords(env),
    bootstrapAdmin: adminUser && adminPassword ? { username: adminUser, password: adminPassword } : null,
    limits: securityLimits(env),
    trustProxy: trustProxy(env.TRUST_PROXY),
    metrics: {
      token: env.METRICS_TOKEN || null,
      host: env.METRICS_PORT ? env.METRICS_HOST || "127.0.0.1" : null,
      port: env.METRICS_PORT ? int(env, "METRICS_PORT", 0, 1, 65535) : null,
    },
  };
}
