import { afterEach, describe, expect, it } from "vitest";
import { PASSWORD, startServer, TEST_LIMITS, type TestServer } from "../support/server.js";

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serverWith(limits: Partial<typeof TEST_LIMITS>, loginPerName = 1_000) {
  const server = await startServer({
    limits: { ...TEST_LIMITS, ...limits },
    loginRateLimit: { max: loginPerName, windowMs: 60_000 },
  });
  servers.push(server);
  return server;
}

const login = (server: TestServer, username: string, password = "wrong-password-here") =>
  server.http("POST", "/api/auth/login", { body: { username, password } });

describe("registration and login budgets (finding 4)", () => {
  it("limits registrations per address", async () => {
    const server = await serverWith({ registerPerHour: 3 });
    for (const name of ["reg_a", "reg_b", "reg_c"]) await server.register(name);
    const refused = await server.http("POST", "/api/auth/register", {
      body: { username: "reg_d", password: PASSWORD },
    });
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe("rate_limited");
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("limits login attempts per address across usernames, before any hashing", async () => {
    const server = await serverWith({ loginPerIpPerMinute: 5 });
    await server.register("honest_one");
    for (let i = 0; i < 4; i++) expect((await login(server, `nobody_${i}`)).status).toBe(401);
    expect((await login(server, "honest_one", PASSWORD)).status).toBe(200);
    // A sixth name, never tried before, is refused: the budget is the address's.
    const refused = await login(server, "nobody_new");
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe("rate_limited");
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("still limits guesses at one username", async () => {
    const server = await serverWith({}, 2);
    await server.register("target_one");
    expect((await login(server, "target_one")).status).toBe(401);
    expect((await login(server, "target_one")).status).toBe(401);
    expect((await login(server, "target_one", PASSWORD)).status).toBe(429);
    expect((await login(server, "someone_else")).status).toBe(401);
  });

  it("refuses with 503 unavailable when the hashing line is full, known and unknown names alike", async () => {
    const server = await serverWith({ hashConcurrency: 1, hashQueue: 1 });
    await server.register("known_one");
    const attempts = await Promise.all(
      Array.from({ length: 12 }, (_, i) => login(server, i % 2 ? "known_one" : `unknown_${i}`)),
    );
    const statuses = attempts.map((a) => a.status);
    expect(
      statuses.every((s) => s === 401 || s === 503),
      statuses.join(","),
    ).toBe(true);
    const refused = attempts.filter((a) => a.status === 503);
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused) {
      expect(r.body.error.code).toBe("unavailable");
      expect(Number(r.headers.get("retry-after"))).toBeGreaterThan(0);
    }
    // Both kinds of name wait in the same line: each kind got refused at least once.
    const refusedNames = attempts
      .map((a, i) => (a.status === 503 ? (i % 2 ? "known" : "unknown") : null))
      .filter(Boolean);
    expect(new Set(refusedNames)).toEqual(new Set(["known", "unknown"]));
    // Once the line is gone, an honest login works.
    expect((await login(server, "known_one", PASSWORD)).status).toBe(200);
  });

  it("keeps a line open for addresses without failed logins, so a flood of guesses cannot crowd them out", async () => {
    const server = await startServer({
      trustProxy: true,
      limits: { ...TEST_LIMITS, hashConcurrency: 1, hashQueue: 2 },
    });
    servers.push(server);
    await server.register("returning");
    const from = (ip: string, username: string, password = "wrong-password-here") =>
      server.http("POST", "/api/auth/login", {
        body: { username, password },
        headers: { "x-forwarded-for": ip },
      });
    // Eight addresses that have already failed once.
    for (let i = 0; i < 8; i++) expect((await from(`10.0.0.${i}`, `guess_${i}`)).status).toBe(401);
    const flood = Array.from({ length: 8 }, (_, i) => from(`10.0.0.${i}`, `guess_again_${i}`));
    await new Promise((resolve) => setTimeout(resolve, 30));
    const honest = await from("10.9.9.9", "returning", PASSWORD);
    const floodStatuses = (await Promise.all(flood)).map((r) => r.status);
    expect(floodStatuses).toContain(503);
    expect(honest.status).toBe(200);
  });
});
