import type { StatsHistory } from "@rally/protocol";
import type { AppContext } from "../context.js";

const INTERVAL_MS = 10_000;
const KEEP = 3_600_000 / INTERVAL_MS;

/**
 * Players online per game server over the last hour, sampled every 10 seconds, for the admin
 * page's chart. It is this node's population, like the live statistics; it starts empty at boot.
 */
export function statsHistory(ctx: AppContext): { history(): StatsHistory } {
  const samples: StatsHistory["samples"] = [];
  const sample = async () => {
    const stats = await ctx.gameServers.stats();
    samples.push({
      at: stats.at,
      servers: Object.fromEntries(stats.servers.map((server) => [server.slug, server.population])),
    });
    if (samples.length > KEEP) samples.splice(0, samples.length - KEEP);
  };
  const tick = () => void sample().catch((err) => ctx.log.error({ err }, "stats sample"));
  tick();
  const timer = setInterval(tick, INTERVAL_MS);
  timer.unref();
  ctx.onShutdown(() => clearInterval(timer));
  return { history: () => ({ intervalSeconds: INTERVAL_MS / 1000, samples: [...samples] }) };
}
