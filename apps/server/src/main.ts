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

await migrate(config.databaseUrl);
const app = await buildApp(config);
await app.listen({ host: config.host, port: config.port, backlog: LISTEN_BACKLOG });

let closing = false;
async function shutdown(signal: string): Promise<void> {
  if (closing) return;
  closing = true;
  app.log.info({ signal }, "shutting down");
  // A stuck close must not keep the process alive forever.
  const force = setTimeout(() => {
    app.log.error("shutdown timed out");
    process.exit(1);
  }, 10_000);
  force.unref();
  await app.close();
  process.exit(0);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
