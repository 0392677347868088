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

await migrate(config.databaseUrl);
const app = await buildApp(config);
await app.listen({ host: config.host, port: config.port, backlog: LISTEN_BACKLOG });

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
