import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { closeAll, connect, connectError, expectNothing, ok, request, waitFor } from "../support/client.js";
import { withDb } from "../support/db.js";
import { freshDbFile, startServer, type TestServer } from "../support/server.js";
import { closeServerSockets, newPlayer } from "../lobby/helpers.js";

let server: TestServer;
let adminToken: string;
beforeAll(async () => {
  server = await startServer();
  adminToken = (await server.admin("chief")).token;
});
afterEach(() => {
  closeServerSockets();
  closeAll();
});
afterAll(() => server.close());

describe("permissions and audit", () => {
  it("refuses a player over HTTP and at the /admin handshake, and logs the attempts", async () => {
    const { token, user } = await server.register("sneaky");
    const body = { text: "I am admin now", severity: "critical", scope: { kind: "all" } };
    const res = await server.http("POST", "/api/admin/notices", { token, body });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe("forbidden");
    expect((await server.http("GET", "/api/admin/notices", { token })).status).toBe(403);
    const refused = await connectError(server.url, token, "/admin");
    expect(refused.message).toBe("forbidden");
    expect((await connectError(server.url, undefined, "/admin")).message).toBe("unauthorized");
    const entries = await withDb(server, (db) =>
      db.auditEntry.findMany({ where: { actorId: user.id, action: "admin.refused" } }),
    );
    expect(entries.length).toBeGreaterThanOrEqual(3);
  });

  it("records who posted and removed what", async () => {
    const posted = await server.http("POST", "/api/admin/notices", {
      token: adminToken,
      body: { text: "audited", severity: "info", scope: { kind: "all" } },
    });
    await server.http("DELETE", `/api/admin/notices/${posted.body.id}`, { token: adminToken });
    const entries = await withDb(server, (db) =>
      db.auditEntry.findMany({ where: { target: posted.body.id }, orderBy: { createdAt: "asc" } }),
    );
    expect(entries.map((e) => e.action)).toEqual(["notice.posted", "notice.removed"]);
    expect(entries.every((e) => e.actorId === posted.body.author.id)).toBe(true);
    const list = await server.http("GET", "/api/admin/notices", { token: adminToken });
    expect(list.body.some((x: any) => x.id === posted.body.id)).toBe(false);
  });
});

describe("/admin namespace", () => {
  it("does the same operations over acks and streams live statistics", async () => {
    const admin = await connect(server.url, adminToken, "/admin");
    const player = await newPlayer(server, "na-1");
    await ok(player.socket, "channel:join", { channel: 2 });
    await ok(player.socket, "room:create", {
      title: "Counted",
      maxPlayers: 2,
      mode: "custom",
      visibility: "public",
    });
    const stats = await waitFor(
      admin,
      "stats:updated",
      5_000,
      (s) => s.servers.find((x: any) => x.slug === "na-1")?.rooms === 1,
    );
    const na = stats.servers.find((x: any) => x.slug === "na-1");
    expect(na.population).toBe(1);
    expect(na.channels.find((c: any) => c.channel === 2).population).toBe(1);

    const got = waitFor(player.socket, "notice:posted");
    const created = await ok(admin, "notices:create", {
      text: "via socket",
      severity: "warning",
      scope: { kind: "server", server: "na-1" },
    });
    expect((await got).id).toBe(created.id);
    expect((await ok(admin, "notices:list")).some((x: any) => x.id === created.id)).toBe(true);
    const removed = waitFor(player.socket, "notice:removed");
    await ok(admin, "notices:delete", { id: created.id });
    expect(await removed).toEqual({ id: created.id });
    expect(await request(admin, "notices:delete", { id: created.id })).toMatchObject({
      ok: false,
      error: { code: "not_found" },
    });
  });
});

describe("maintenance", () => {
  it("locks room creation, counts down, closes the server, and reopening lifts it", async () => {
    const admin = await connect(server.url, adminToken, "/admin");
    const player = await newPlayer(server, "asia-1");
    const countdown = waitFor(player.socket, "notice:posted", 3_000, (x) => x.kind === "maintenance");
    await ok(admin, "maintenance:start", { server: "asia-1", countdownSeconds: 2, text: "Back soon" });
    expect((await countdown).text).toBe("Back soon");
    expect(
      await request(player.socket, "room:create", {
        title: "no",
        maxPlayers: 2,
        mode: "custom",
        visibility: "public",
      }),
    ).toMatchObject({
      ok: false,
      error: { code: "maintenance" },
    });
    const listed = await server.http("GET", "/api/servers");
    expect(listed.body.find((s: any) => s.slug === "asia-1").status).toBe("maintenance");
    const closing = waitFor(player.socket, "server:closing", 6_000);
    const gone = waitFor(player.socket, "disconnect", 6_000);
    expect((await closing).reason).toMatch(/maintenance/i);
    expect(await gone).toBe("io server disconnect");
    expect((await connectError(server.url, player.login.token, "/servers/asia-1")).message).toBe(
      "unknown_server",
    );
    await server.http("PATCH", "/api/admin/servers/asia-1", { token: adminToken, body: { status: "open" } });
    const back = await newPlayer(server, "asia-1");
    expect(
      await request(back.socket, "room:create", {
        title: "yes",
        maxPlayers: 2,
        mode: "custom",
        visibility: "public",
      }),
    ).toMatchObject({
      ok: true,
    });
  });

  it("can be cancelled, which lifts the lock and takes the notice down", async () => {
    const admin = await connect(server.url, adminToken, "/admin");
    const player = await newPlayer(server, "eu-1");
    await ok(admin, "maintenance:start", { server: "eu-1", countdownSeconds: 60 });
    const removed = waitFor(player.socket, "notice:removed");
    await ok(admin, "maintenance:cancel", { server: "eu-1" });
    await removed;
    expect(
      (
        await request(player.socket, "room:create", {
          title: "ok",
          maxPlayers: 2,
          mode: "custom",
          visibility: "public",
        })
      ).ok,
    ).toBe(true);
    expect(await request(admin, "maintenance:cancel", { server: "eu-1" })).toMatchObject({
      ok: false,
      error: { code: "not_found" },
    });
    const audited = await withDb(server, (db) =>
      db.auditEntry.findMany({
        where: { target: "eu-1", action: { startsWith: "maintenance." } },
        orderBy: { createdAt: "asc" },
      }),
    );
    expect(audited.map((e) => e.action)).toEqual(["maintenance.started", "maintenance.cancelled"]);
  });
});

describe("maintenance ended by the lobby", () => {
  const room = { title: "after", maxPlayers: 2, mode: "custom", visibility: "public" };

  it("reopening during the countdown lifts the lock, takes the notice down and cancels the closing", async () => {
    const admin = await connect(server.url, adminToken, "/admin");
    const player = await newPlayer(server, "na-1");
    const countdown = waitFor(player.socket, "notice:posted", 3_000, (x) => x.kind === "maintenance");
    await ok(admin, "maintenance:start", { server: "na-1", countdownSeconds: 1 });
    const notice = await countdown;
    const removed = waitFor(player.socket, "notice:removed", 3_000);
    await server.http("PATCH", "/api/admin/servers/na-1", { token: adminToken, body: { status: "open" } });
    expect(await removed).toEqual({ id: notice.id });
    expect((await request(player.socket, "room:create", room)).ok).toBe(true);
    // The countdown's end passes without closing the server.
    await expectNothing(player.socket, "server:closing", 2_000);
    expect(player.socket.connected).toBe(true);
    const listed = await server.http("GET", "/api/servers");
    expect(listed.body.find((s: any) => s.slug === "na-1").status).toBe("open");
    // A new maintenance can be announced: the old one is over.
    await ok(admin, "maintenance:start", { server: "na-1", countdownSeconds: 60 });
    await ok(admin, "maintenance:cancel", { server: "na-1" });
  });

  it("a server closed by hand and reopened is not closed again by the old countdown", async () => {
    const admin = await connect(server.url, adminToken, "/admin");
    await ok(admin, "maintenance:start", { server: "eu-1", countdownSeconds: 1 });
    const close = { token: adminToken, body: { reason: "Closed by hand" } };
    expect((await server.http("POST", "/api/admin/servers/eu-1/close", close)).status).toBe(200);
    expect(await request(admin, "maintenance:start", { server: "eu-1", countdownSeconds: 5 })).toMatchObject({
      ok: false,
      error: { code: "server_closed" },
    });
    await server.http("PATCH", "/api/admin/servers/eu-1", { token: adminToken, body: { status: "open" } });
    const player = await newPlayer(server, "eu-1");
    await expectNothing(player.socket, "server:closing", 2_000);
    expect((await request(player.socket, "room:create", room)).ok).toBe(true);
    const notices = await ok(admin, "notices:list");
    expect(notices.some((n: any) => n.kind === "maintenance" && n.scope.server === "eu-1")).toBe(false);
  });
});

describe("restart", () => {
  it("fires a scheduled notice after a restart", async () => {
    const dbFile = freshDbFile();
    const first = await startServer({}, dbFile);
    const token = (await first.admin("restartboss")).token;
    const sessionSecret = first.config.sessionSecret;
    await first.http("POST", "/api/admin/notices", {
      token,
      body: {
        text: "survives restarts",
        severity: "info",
        scope: { kind: "all" },
        startsAt: new Date(Date.now() + 1_500).toISOString(),
      },
    });
    await first.close();
    const second = await startServer({ sessionSecret }, dbFile);
    try {
      const { token: playerToken } = await second.register("afterrestart");
      const client = await connect(second.url, playerToken, "/");
      expect((await waitFor(client, "notice:posted", 6_000)).text).toBe("survives restarts");
    } finally {
      closeAll();
      await second.close();
    }
  });

  it("keeps a maintenance countdown across a restart: still locked, then the server closes", async () => {
    const dbFile = freshDbFile();
    const first = await startServer({}, dbFile);
    const token = (await first.admin("maintboss")).token;
    const sessionSecret = first.config.sessionSecret;
    const admin = await connect(first.url, token, "/admin");
    await ok(admin, "maintenance:start", { server: "asia-1", countdownSeconds: 5 });
    closeAll();
    await first.close();
    const second = await startServer({ sessionSecret }, dbFile);
    try {
      const player = await newPlayer(second, "asia-1");
      const room = { title: "no", maxPlayers: 2, mode: "custom", visibility: "public" };
      expect(await request(player.socket, "room:create", room)).toMatchObject({
        ok: false,
        error: { code: "maintenance" },
      });
      expect((await waitFor(player.socket, "server:closing", 8_000)).reason).toMatch(/maintenance/i);
      const listed = await second.http("GET", "/api/servers");
      expect(listed.body.find((s: any) => s.slug === "asia-1").status).toBe("closed");
    } finally {
      closeServerSockets();
      closeAll();
      await second.close();
    }
  });
});
