import fs from "node:fs";
import os from "node:os";
import { Limits } from "@rally/protocol";

// The limit settings of the configuration and the number parsing they share (see config.ts).

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

export function int(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

export function socketLimits(env: NodeJS.ProcessEnv): SocketLimits {
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

export function onOff(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  if (raw === "on") return true;
  if (raw === "off") return false;
  throw new ConfigError(`${name} must be "on" or "off", got "${raw}"`);
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

export function securityLimits(env: NodeJS.ProcessEnv): SecurityLimits {
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
