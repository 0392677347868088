import { afterAll, beforeAll, expect, it } from "vitest";
import { closeAll, connect, request } from "../support/client.js";
import { startServer, type TestServer } from "../support/server.js";
import { closeServerSockets, newPlayer } from "../lobby/helpers.js";
import { uniqueName } from "./helpers.js";

// Strings JSON allows but a database may not store: a NUL character (PostgreSQL text refuses it)
// and a lone surrogate (not UTF-8) answered `internal` once they reached the database. They are
// refused with invalid_payload before any handler; whole emoji (surrogate pairs) are fine.
let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  closeAll();
  closeServerSockets();
  await server.close();
});

const odd = ["nul\u0000byte", "\u0000", "lone\ud800surrogate"];

it("refuses NUL and lone surrogates in any field with invalid_payload", async () => {
  const admin = await server.admin(uniqueName("stradm"));
  const social = await connect(server.url, admin.token, "/");
  const adminNsp = await connect(server.url, admin.token, "/admin");
  const player = await newPlayer(server, "eu-1", "str");
  const codes: string[] = [];
  const note = (reply: { ok: boolean; error?: { code: string } }) => {
    codes.push(reply.ok ? "ok" : reply.error!.code);
  };
  for (const text of odd) {
    note(await request(social, "friends:request", { username: text }));
    note(await request(social, "friends:accept", { userId: text }));
    note(await request(adminNsp, "notices:create", { text, severity: "info", scope: { kind: "all" } }));
    note(await request(adminNsp, "notices:delete", { id: text }));
    note(await request(player.socket, "room:join", { roomId: text }));
  }
  expect(codes).toEqual(Array(codes.length).fill("invalid_payload"));
  expect((await request(social, "servers:list")).ok).toBe(true);
  const notice = await request(adminNsp, "notices:create", {
    text: "Maintenance tonight 🛠️ — back soon",
    severity: "info",
    scope: { kind: "all" },
  });
  expect(notice).toMatchObject({ ok: true, data: { text: "Maintenance tonight 🛠️ — back soon" } });
});

it("refuses them in HTTP bodies and query strings with 400 invalid_payload", async () => {
  const admin = await server.admin(uniqueName("strhttp"));
  const body = { text: "nul\u0000byte", severity: "info", scope: { kind: "all" } };
  const posted = await server.http("POST", "/api/admin/notices", { token: admin.token, body });
  expect(posted.status).toBe(400);
  expect(posted.body).toMatchObject({ error: { code: "invalid_payload" } });
  expect(await server.http("GET", "/api/servers?q=a%00b")).toMatchObject({ status: 400 });
  const lone = await server.http("POST", "/api/auth/login", {
    body: { username: "a\ud800", password: "x".repeat(9) },
  });
  expect(lone.status).toBe(400);
});
