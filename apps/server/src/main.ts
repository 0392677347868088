import { buildApp, LISTEN_BACKLOG } from "./app.js";
import { ConfigError, loadConfig } from "./config.js";
import { migrate } from "./db.js";

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(`Configuration error: ${error.message}`);
    process.exit(1);
  }
  throw error;
}

/** A close that has not finished by then is stuck: exit anyway, with an error code. */
const SHUTDOWN_DEADLINE_MS = 5_000;

/** One line: the first line of the message, or of the first cause when it has none (AggregateError). */
function describe(error: unknown): string {
  const err = error as Error & { errors?: Error[]; code?: string };
  const text = err.message || err.errors?.[0]?.message || err.code || String(error);
  return text.split("\n").find((line) => line.trim() !== "") ?? "";
}

let app: Awaited<ReturnType<typeof buildApp>>;
try {
  await migrate(config.databaseUrl);
  app = await buildApp(config);
  await app.listen({ host: config.host, port: config.port, backlog: LISTEN_BACKLOG });
} catch (error) {
  // An unreachable database or Redis is one clear line, not a stack trace.
  console.error(`Start-up error: ${describe(error)}`);
  process.exit(1);
}

// A library promise nobody awaits (say, during a Redis outage) must not take the node down.
process.on("unhandledRejection", (err) => app.log.error({ err }, "unhandled rejection"));

let closing = false;
async function shutdown(signal: string): Promise<void> {
  if (closing) return;
  closing = true;
  const started = performance.now();
  app.log.info({ signal }, "shutting down");
  const force = setTimeout(() => {
    app.log.error("shutdown timed out");
    process.exit(1);
  }, SHUTDOWN_DEADLINE_MS);
  force.unref();
  try {
    await app.close();
  } catch (err) {
    app.log.error({ err }, "shutdown failed");
    process.exit(1);
  }
  app.log.info({ ms: Math.round(performance.now() - started) }, "shut down");
  process.exit(0);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
