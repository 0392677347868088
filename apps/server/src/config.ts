import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Limits } from "@rally/protocol";

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

export interface SecurityLimits {
  /** Account registrations per IP per hour. */
  registerPerHour: number;
  /** Login attempts per IP per minute, whatever the usernames. */
  loginPerIpPerMinute: number;
  /** Password hashes computed at once, and how many more may wait before 503 unavailable. */
  hashConcurrency: number;
  hashQueue: number;
  /** ...and no longer a line than this many ms of hashing at the recent pace. */
  hashMaxWaitMs: number;
  /** HTTP: whole request, headers, idle keep-alive, idle socket (ms); open connections. */
  requestTimeoutMs: number;
  headersTimeoutMs: number;
  keepAliveTimeoutMs: number;
  connectionTimeoutMs: number;
  maxConnections: number;
  /** SQLite waits this long for a lock before the write fails with 503 unavailable. */
  dbBusyTimeoutMs: number;
  /** How often open sockets' sessions and roles are read again (expiry, revocation, demotion). */
  sessionCheckMs: number;
  /**
   * At shutdown, how long requests already on their way still get an answer (503 on an idle
   * keep-alive connection) before idle connections are closed.
   */
  shutdownDrainMs: number;
}

export interface SocketLimits {
  maxSocketsPerUser: number;
  socketBudget: { burst: number; perSecond: number };
  userBudget: { burst: number; perSecond: number };
  floodStrikes: number;
  floodStrikeWindowMs: number;
  /** Wrong room passwords a minute. */
  roomPasswordTries: { perUser: number; perRoom: number };
  /** Inbound packets run per event-loop turn (ms) before the rest wait for the next turn. */
  turnSliceMs: number;
  /** Inbound packets that may wait for a later turn before more are refused as unavailable. */
  turnQueueLimit: number;
}

export const DEFAULT_SOCKET_LIMITS: SocketLimits = {
  maxSocketsPerUser: Limits.maxSocketsPerUser,
  socketBudget: Limits.socketBudget,
  userBudget: Limits.userBudget,
  floodStrikes: Limits.floodStrikes,
  floodStrikeWindowMs: Limits.floodStrikeWindowMs,
  roomPasswordTries: { perUser: Limits.roomPasswordTriesPerUser, perRoom: Limits.roomPasswordTriesPerRoom },
  turnSliceMs: 20,
  turnQueueLimit: 10_000,
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
    turnSliceMs: int(env, "TURN_SLICE_MS", d.turnSliceMs, 0, 1_000),
    turnQueueLimit: int(env, "TURN_QUEUE_LIMIT", d.turnQueueLimit, 1, 1_000_000),
  };
}

function onOff(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  if (raw === "on") return true;
  if (raw === "off") return false;
  throw new ConfigError(`${name} must be "on" or "off", got "${raw}"`);
}

function trustProxy(raw: string | undefined): boolean | number | string {
  if (raw === undefined || raw.trim() === "" || raw === "false") return false;
  if (raw === "true") return true;
  if (/^\d+$/.test(raw)) return Number(raw);
  return raw;
}

/** Room below the process's open-file limit for the database, logs and the listening socket. */
function defaultMaxConnections(): number {
  try {
    const limits = fs.readFileSync("/proc/self/limits", "utf8");
    const soft = Number(/^Max open files\s+(\d+)/m.exec(limits)?.[1]);
    if (Number.isInteger(soft) && soft > 128) return Math.min(soft - 64, 100_000);
  } catch {}
  return 1_000;
}

function securityLimits(env: NodeJS.ProcessEnv): SecurityLimits {
  const hashConcurrency = int(env, "HASH_CONCURRENCY", os.availableParallelism(), 1, 256);
  return {
    registerPerHour: int(env, "REGISTER_RATE_LIMIT", 20, 1, 100_000),
    loginPerIpPerMinute: int(env, "LOGIN_IP_RATE_LIMIT", 30, 1, 100_000),
    hashConcurrency,
    // The longest wait in line is about hashQueue / hashConcurrency hashes (~40 ms each).
    hashQueue: int(env, "HASH_QUEUE_LIMIT", 4 * hashConcurrency, 0, 100_000),
    hashMaxWaitMs: int(env, "HASH_MAX_WAIT_MS", 500, 1, 600_000),
    requestTimeoutMs: int(env, "REQUEST_TIMEOUT_MS", 30_000, 1, 3_600_000),
    headersTimeoutMs: int(env, "HEADERS_TIMEOUT_MS", 10_000, 1, 3_600_000),
    keepAliveTimeoutMs: int(env, "KEEP_ALIVE_TIMEOUT_MS", 5_000, 1, 3_600_000),
    connectionTimeoutMs: int(env, "CONNECTION_TIMEOUT_MS", 60_000, 1, 3_600_000),
    maxConnections: int(env, "MAX_CONNECTIONS", defaultMaxConnections(), 1, 1_000_000),
    dbBusyTimeoutMs: int(env, "DB_BUSY_TIMEOUT_MS", 5_000, 0, 600_000),
    sessionCheckMs: int(env, "SESSION_CHECK_INTERVAL_MS", 5_000, 50, 3_600_000),
    shutdownDrainMs: int(env, "SHUTDOWN_DRAIN_MS", 500, 0, 10_000),
  };
}

export const DEFAULT_LIMITS: SecurityLimits = securityLimits({});

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
