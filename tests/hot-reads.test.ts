import { afterAll, beforeAll, expect, it } from "vitest";
import { createDb, type Db } from "../apps/server/src/db.js";
import { closeHotReads, hotReads } from "../apps/server/src/hot-reads.js";
import { startServer, type TestServer } from "./support/server.js";

// The driver-level reads must give back the instants Prisma wrote. On PostgreSQL, Prisma keeps
// DateTime in `timestamp without time zone` (UTC), which node-postgres reads as local time unless
// told otherwise: on a host whose zone is not UTC, a session would have outlived its expiry.
let server: TestServer;
let db: Db;

beforeAll(async () => {
  server = await startServer();
  db = createDb(server.config.databaseUrl);
});
afterAll(async () => {
  await closeHotReads(db);
  await db.$disconnect();
  await server?.close();
});

async function inZone<T>(zone: string, work: () => Promise<T>): Promise<T> {
  const previous = process.env.TZ;
  process.env.TZ = zone;
  try {
    return await work();
  } finally {
    if (previous === undefined) delete process.env.TZ;
    else process.env.TZ = previous;
  }
}

it("reads sessions and notices as the instants Prisma wrote, whatever the host's time zone", async () => {
  const login = await server.register(`tz_${Math.random().toString(36).slice(2, 8)}`);
  const session = await db.session.findFirstOrThrow({ where: { userId: login.user.id } });
  const hour = 3_600_000;
  const now = Date.now();
  const live = await db.notice.create({
    data: {
      text: "live",
      severity: "info",
      scopeKind: "all",
      startsAt: new Date(now - hour),
      expiresAt: new Date(now + 2 * hour),
      authorId: login.user.id,
    },
  });
  await db.notice.create({
    data: {
      text: "over",
      severity: "info",
      scopeKind: "all",
      startsAt: new Date(now - 3 * hour),
      expiresAt: new Date(now - hour),
      authorId: login.user.id,
    },
  });

  for (const zone of ["America/New_York", "Asia/Tokyo"]) {
    await inZone(zone, async () => {
      const [row] = await hotReads(db).sessionUsers([session.id]);
      expect(row?.expiresAt?.toISOString()).toBe(session.expiresAt.toISOString());
      const notices = await hotReads(db).liveNotices(new Date(now));
      const mine = notices.filter((n) => n.authorId === login.user.id);
      expect(mine.map((n) => n.text)).toEqual(["live"]);
      expect(mine[0]?.expiresAt?.toISOString()).toBe(live.expiresAt?.toISOString());
      expect(mine[0]?.startsAt.toISOString()).toBe(live.startsAt.toISOString());
      expect(mine[0]?.authorName).toBe(login.user.name);
    });
  }
});
