import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PASSWORD, startServer, type TestServer } from "./support/server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

describe("register", () => {
  it("creates an account and returns a working token", async () => {
    const res = await server.http("POST", "/api/auth/register", {
      body: { username: "Alice_1", password: PASSWORD },
    });
    expect(res.status).toBe(201);
    expect(res.body.user).toMatchObject({ name: "Alice_1", role: "player", appearOffline: false });
    expect(typeof res.body.token).toBe("string");
    expect(new Date(res.body.expiresAt).getTime()).toBeGreaterThan(Date.now());
    const me = await server.http("GET", "/api/me", { token: res.body.token });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: res.body.user.id, name: "Alice_1" });
  });

  it("refuses the same username in another case", async () => {
    await server.register("CaseUser");
    const res = await server.http("POST", "/api/auth/register", {
      body: { username: "caseuser", password: PASSWORD },
    });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: "username_taken", field: "username" });
  });

  it.each([
    [{ username: "ab", password: PASSWORD }, "username"],
    [{ username: "a".repeat(21), password: PASSWORD }, "username"],
    [{ username: "bad name!", password: PASSWORD }, "username"],
    [{ username: "good_name", password: "short" }, "password"],
    [{ username: "good_name", password: "x".repeat(129) }, "password"],
    [{ password: PASSWORD }, "username"],
    [{ username: "good_name" }, "password"],
    [{ username: 42, password: PASSWORD }, "username"],
  ])("refuses %j naming the field %s", async (body, field) => {
    const res = await server.http("POST", "/api/auth/register", { body });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: "invalid_payload", field });
  });

  it("stores only an Argon2id hash", async () => {
    await server.register("hashcheck");
    const { createDb } = await import("../apps/server/src/db.js");
    const db = createDb(server.config.databaseUrl);
    const row = await db.user.findUnique({ where: { usernameKey: "hashcheck" } });
    await db.$disconnect();
    expect(row?.passwordHash.startsWith("$argon2id$")).toBe(true);
    expect(row?.passwordHash).not.toContain(PASSWORD);
  });
});

describe("login", () => {
  it("logs in with any letter case of the name", async () => {
    await server.register("Bob_Login");
    const res = await server.http("POST", "/api/auth/login", {
      body: { username: "bob_login", password: PASSWORD },
    });
    expect(res.status).toBe(200);
    expect(res.body.user.name).toBe("Bob_Login");
  });

  it("gives the same reply for an unknown user and a wrong password", async () => {
    await server.register("carol");
    const unknown = await server.http("POST", "/api/auth/login", {
      body: { username: "nobody_here", password: PASSWORD },
    });
    const wrong = await server.http("POST", "/api/auth/login", {
      body: { username: "carol", password: "wrong-password" },
    });
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(unknown.status);
    expect(wrong.body).toEqual(unknown.body);
    expect(unknown.body.error.code).toBe("invalid_credentials");
  });

  it("refuses a malformed login body", async () => {
    const res = await server.http("POST", "/api/auth/login", { body: { username: "x" } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("invalid_payload");
  });
});

describe("tokens on HTTP", () => {
  it.each([
    ["missing", undefined],
    ["malformed", "not-a-jwt"],
    ["tampered", "TAMPER"],
  ])("refuses a %s token", async (_label, token) => {
    let value = token;
    if (token === "TAMPER") {
      const { token: real } = await server.register(`tamper_${Date.now() % 100000}`);
      const [h, p, s] = real.split(".");
      const payload = JSON.parse(Buffer.from(p!, "base64url").toString());
      payload.sub = "someone-else";
      value = `${h}.${Buffer.from(JSON.stringify(payload)).toString("base64url")}.${s}`;
    }
    const res = await server.http("GET", "/api/me", { token: value });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe("unauthorized");
  });

  it("refuses an expired token", async () => {
    const short = await startServer({ tokenTtlSeconds: 3 });
    try {
      const { token } = await short.register("shortlived");
      expect((await short.http("GET", "/api/me", { token })).status).toBe(200);
      await new Promise((r) => setTimeout(r, 3_200));
      const res = await short.http("GET", "/api/me", { token });
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe("unauthorized");
    } finally {
      await short.close();
    }
  });

  it("logout revokes the token", async () => {
    const { token } = await server.register("leaver");
    const out = await server.http("POST", "/api/auth/logout", { token });
    expect(out.status).toBe(204);
    const me = await server.http("GET", "/api/me", { token });
    expect(me.status).toBe(401);
    // other sessions of the same user stay valid
    const again = await server.login("leaver");
    expect((await server.http("GET", "/api/me", { token: again.token })).status).toBe(200);
  });
});

describe("login rate limit", () => {
  it("answers 429 with Retry-After per IP and username", async () => {
    const limited = await startServer({ loginRateLimit: { max: 3, windowMs: 60_000 } });
    try {
      await limited.register("target");
      for (let i = 0; i < 3; i++) {
        const res = await limited.http("POST", "/api/auth/login", {
          body: { username: "target", password: "wrong-password" },
        });
        expect(res.status).toBe(401);
      }
      const blocked = await limited.http("POST", "/api/auth/login", {
        body: { username: "TARGET", password: PASSWORD },
      });
      expect(blocked.status).toBe(429);
      expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(blocked.body.error.code).toBe("rate_limited");
      // another username from the same IP is not limited by target's attempts
      await limited.register("other_one");
      expect(
        (
          await limited.http("POST", "/api/auth/login", {
            body: { username: "other_one", password: PASSWORD },
          })
        ).status,
      ).toBe(200);
    } finally {
      await limited.close();
    }
  });
});

describe("operations", () => {
  it("serves /health and /ready", async () => {
    expect((await server.http("GET", "/health")).body).toEqual({ status: "ok" });
    expect((await server.http("GET", "/ready")).body).toEqual({ status: "ready" });
  });

  it("answers unknown routes with a coded 404", async () => {
    const res = await server.http("GET", "/api/nope");
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe("not_found");
  });
});
