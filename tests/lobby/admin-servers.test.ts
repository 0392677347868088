import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { closeAll, connect, connectError, ok, waitFor } from "../support/client.js";
import { withDb } from "../support/db.js";
import { startServer, type TestServer } from "../support/server.js";
import { closeServerSockets, newPlayer } from "./helpers.js";

let server: TestServer;
let adminToken: string;
beforeAll(async () => {
  server = await startServer();
  adminToken = (await server.admin("overseer")).token;
});
afterEach(() => {
  closeServerSockets();
  closeAll();
});
afterAll(() => server.close());

const spec = {
  slug: "new-world",
  name: "New World",
  region: "sa",
  channelCount: 2,
  channelCapacity: 10,
  maxPopulation: 20,
};

describe("admin server management", () => {
  it("adds a server without a restart and pushes the list to followers", async () => {
    const watcher = await connect(server.url, (await server.register("watcher")).token, "/");
    const initial = await ok(watcher, "servers:list");
    expect(initial.some((s: any) => s.slug === "new-world")).toBe(false);
    const pushed = waitFor(watcher, "servers:updated", 5_000, (list) =>
      list.some((s: any) => s.slug === "new-world"),
    );
    const res = await server.http("POST", "/api/admin/servers", { token: adminToken, body: spec });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ slug: "new-world", population: 0, status: "open" });
    await pushed;
    const player = await newPlayer(server, "new-world");
    expect(player.welcome.channels).toHaveLength(2);
    expect((await server.http("POST", "/api/admin/servers", { token: adminToken, body: spec })).status).toBe(
      409,
    );
    const bad = await server.http("POST", "/api/admin/servers", {
      token: adminToken,
      body: { ...spec, slug: "Bad Slug" },
    });
    expect(bad.body.error).toMatchObject({ code: "invalid_payload", field: "slug" });
    const audit = await withDb(server, (db) => db.auditEntry.findMany({ where: { action: "server.added" } }));
    expect(audit).toHaveLength(1);
  });

  it("renames, closes with a reason (players told, then disconnected) and reopens", async () => {
    await server.http("POST", "/api/admin/servers", { token: adminToken, body: { ...spec, slug: "doomed" } });
    const renamed = await server.http("PATCH", "/api/admin/servers/doomed", {
      token: adminToken,
      body: { name: "Doomed" },
    });
    expect(renamed.body.name).toBe("Doomed");
    const player = await newPlayer(server, "doomed");
    await ok(player.socket, "room:create", {
      title: "r",
      maxPlayers: 2,
      mode: "custom",
      visibility: "public",
    });
    const closing = waitFor(player.socket, "server:closing");
    const gone = waitFor(player.socket, "disconnect");
    const res = await server.http("POST", "/api/admin/servers/doomed/close", {
      token: adminToken,
      body: { reason: "Moving house" },
    });
    expect(res.body.status).toBe("closed");
    expect(await closing).toEqual({ reason: "Moving house" });
    expect(await gone).toBe("io server disconnect");
    const refused = await connectError(server.url, player.login.token, "/servers/doomed");
    expect(refused.message).toBe("unknown_server");
    const reopened = await server.http("PATCH", "/api/admin/servers/doomed", {
      token: adminToken,
      body: { status: "open" },
    });
    expect(reopened.body, JSON.stringify(reopened.body)).toMatchObject({ status: "open" });
    const back = await newPlayer(server, "doomed");
    expect(back.snapshot).toEqual([]);
  });

  it("refuses players on the admin API", async () => {
    const { token } = await server.register("pleb");
    const res = await server.http("POST", "/api/admin/servers", { token, body: spec });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe("forbidden");
    expect((await server.http("POST", "/api/admin/servers/eu-1/close", { token, body: {} })).status).toBe(
      403,
    );
  });
});
