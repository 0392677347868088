/**
 * Errors that mean "the server is short of a resource right now", not "the server is wrong":
 * the database is locked, read-only, gone or full, or the process ran out of file descriptors.
 * They answer 503 `unavailable` (with Retry-After on HTTP) instead of 500 `internal`.
 */
const RESOURCE_CODES = new Set([
  "EMFILE",
  "ENFILE",
  "ENOSPC",
  "EAGAIN",
  "EQUEUEFULL",
  "ECONNREFUSED",
  "ETIMEDOUT",
]);
// PostgreSQL (the hot reads' own pool): shutting down, starting up, too many connections.
const POSTGRES_CODES = new Set(["57P01", "57P03", "53300"]);
// Prisma: can't reach / timed out / connection closed / pool timeout.
const PRISMA_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024"]);
const SQLITE_CODES = /SQLITE_(BUSY|LOCKED|READONLY|CANTOPEN|IOERR|FULL|NOTADB|CORRUPT)/;
const SQLITE_MESSAGES =
  /database is locked|readonly database|unable to open database|disk I\/O error|database or disk is full|SocketTimeout/i;

/** Seconds a client should wait before retrying an `unavailable` answer. */
export const RETRY_AFTER_SECONDS = 5;

/** A full password-check line drains in well under a second: retry sooner than for the database. */
export function retryAfterSeconds(error: unknown): number {
  return (error as { code?: unknown }).code === "EQUEUEFULL" ? 1 : RETRY_AFTER_SECONDS;
}

export function isUnavailable(error: unknown, depth = 0): boolean {
  if (typeof error !== "object" || error === null || depth > 4) return false;
  const fields = error as Record<string, unknown>;
  if (fields.name === "PrismaClientInitializationError") return true;
  for (const key of ["code", "originalCode", "kind"]) {
    const code = fields[key];
    if (typeof code !== "string") continue;
    if (RESOURCE_CODES.has(code) || PRISMA_CODES.has(code) || POSTGRES_CODES.has(code)) return true;
    if (SQLITE_CODES.test(code)) return true;
    if (code === "SocketTimeout") return true;
  }
  for (const key of ["message", "originalMessage"]) {
    const text = fields[key];
    if (typeof text === "string" && (SQLITE_CODES.test(text) || SQLITE_MESSAGES.test(text))) return true;
  }
  return ["cause", "meta", "driverAdapterError"].some((key) => isUnavailable(fields[key], depth + 1));
}
