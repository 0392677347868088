// Rally under test, in its own process: the real app (buildApp) on a fresh SQLite file, with one
// large bench game server. The orchestrator drives it over IPC (see ../ipc.ts).
//   argv[2]: JSON { dbFile, secret }
import crypto from "node:crypto";
import fs from "node:fs";
import { Session } from "node:inspector/promises";
import * as rally from "../../../apps/server/src/app.js";
import { type AppConfig, loadConfig } from "../../../apps/server/src/config.js";
import { createDb } from "../../../apps/server/src/db.js";
import { pairKey } from "../../../apps/server/src/friends/graph.js";
import { serve } from "../ipc.js";
import { BENCH_SERVER } from "../scenario-config.js";
import { resetLoop, stats } from "../server-stats.js";

const { dbFile, secret, redisUrl } = JSON.parse(process.argv[2]!) as {
  dbFile: string;
  secret: string;
  redisUrl: string | null;
};

// The production defaults (as `npm start` reads them from an empty environment), then the bench's.
// With --redis the live state, scheduler and adapter go through Redis (a prefix of its own per run).
const defaults = loadConfig({
  DATABASE_URL: `file:${dbFile}`,
  SESSION_SECRET: secret,
  LOG_LEVEL: "silent",
  ...(redisUrl ? { REDIS_URL: redisUrl, REDIS_PREFIX: `bench-${crypto.randomUUID()}:` } : {}),
  // `CONNECTION_RECOVERY=off npm run bench` measures Rally without connection-state recovery.
  CONNECTION_RECOVERY: process.env.CONNECTION_RECOVERY ?? "",
});
const config: AppConfig = {
  ...defaults,
  host: "127.0.0.1",
  port: 0,
  clientDir: null,
  bootstrapAdmin: null,
  loginRateLimit: { max: 1_000_000, windowMs: 60_000 },
  // Bench players act far faster than people: per-player budgets are raised so that the bench
  // measures the server, not the limiter (which the hardening tests cover).
  socketLimits: {
    ...defaults.socketLimits,
    socketBudget: { burst: 1_000_000, perSecond: 1_000_000 },
    userBudget: { burst: 1_000_000, perSecond: 1_000_000 },
  },
};
const TTL_SECONDS = config.tokenTtlSeconds;

const inspector = new Session();
inspector.connect();

async function main(): Promise<void> {
  const db = createDb(config.databaseUrl);
  // The catalog seeds its defaults only into an empty table: the bench server stands alone.
  await db.gameServer.create({ data: BENCH_SERVER });
  const app = await rally.buildApp(config);
  await app.listen({
    host: "127.0.0.1",
    port: 0,
    backlog: (rally as { LISTEN_BACKLOG?: number }).LISTEN_BACKLOG,
  });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : 0;

  serve({
    /** Players with live sessions and their tokens, made directly: hashing passwords is not measured. */
    async prepare({ users, friendships }) {
      const count = users as number;
      const ids = Array.from({ length: count }, (_, i) => `bench-user-${i}`);
      await db.user.createMany({
        data: ids.map((id, i) => ({ id, username: `bot${i}`, usernameKey: `bot${i}`, passwordHash: "-" })),
      });
      const expiresAt = new Date(Date.now() + TTL_SECONDS * 1000);
      const sessions = ids.map((userId) => ({ id: crypto.randomBytes(18).toString("base64url"), userId }));
      await db.session.createMany({ data: sessions.map((s) => ({ ...s, expiresAt })) });
      const pairs = friendships as [number, number][];
      if (pairs.length > 0)
        await db.friendship.createMany({ data: pairs.map(([a, b]) => pairKey(ids[a]!, ids[b]!)) });
      return sessions.map((s) => app.jwt.sign({ sid: s.id, sub: s.userId }, { expiresIn: TTL_SECONDS }));
    },
    stats: ({ gc }) => stats(Boolean(gc)),
    /** A CPU profile of just what happens between start and stop (the connect storm). */
    async profileStart() {
      await inspector.post("Profiler.enable");
      await inspector.post("Profiler.setSamplingInterval", { interval: 200 });
      await inspector.post("Profiler.start");
    },
    async profileStop({ file }) {
      const { profile } = await inspector.post("Profiler.stop");
      fs.writeFileSync(file as string, JSON.stringify(profile));
    },
    resetLoop: () => resetLoop(),
    async exit() {
      setTimeout(async () => {
        await app.close().catch(() => {});
        await db.$disconnect();
        process.exit(0);
      }, 10);
    },
  });
  process.send?.({ ready: true, port });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
