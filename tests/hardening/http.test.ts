import fs from "node:fs";
import net from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../apps/server/src/db.js";
import { closeAll, connect, request } from "../support/client.js";
import { startServer, TEST_LIMITS, type TestServer } from "../support/server.js";

afterEach(() => closeAll());

/** A raw TCP connection to the server, resolving with how it ended once the server closes it. */
function rawSocket(url: string): { socket: net.Socket; closed: Promise<string> } {
  const { hostname, port } = new URL(url);
  const socket = net.connect(Number(port), hostname);
  let received = "";
  socket.on("data", (chunk) => {
    received += chunk;
  });
  socket.on("error", () => {});
  const closed = new Promise<string>((resolve) => socket.on("close", () => resolve(received)));
  return { socket, closed };
}

/** Resolves with the value, or "still open" if `ms` passes first. */
function within<T>(promise: Promise<T>, ms: number): Promise<T | "still open"> {
  return Promise.race([promise, new Promise<"still open">((r) => setTimeout(() => r("still open"), ms))]);
}

describe("slow HTTP clients (finding 8)", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({
      limits: {
        ...TEST_LIMITS,
        headersTimeoutMs: 300,
        requestTimeoutMs: 600,
        keepAliveTimeoutMs: 300,
        connectionTimeoutMs: 800,
      },
    });
  });
  afterAll(() => server.close());

  it("closes a connection whose headers trickle in", async () => {
    const { socket, closed } = rawSocket(server.url);
    socket.write("GET /health HTTP/1.1\r\nHost: x\r\n");
    const drip = setInterval(() => socket.writable && socket.write("X-Slow: 1\r\n"), 100);
    try {
      const answer = await within(closed, 5_000);
      expect(answer).not.toBe("still open");
      expect(answer).toMatch(/^HTTP\/1\.1 408/);
    } finally {
      clearInterval(drip);
    }
  });

  it("closes a connection whose body trickles in", async () => {
    const { socket, closed } = rawSocket(server.url);
    socket.write(
      "POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 400\r\n\r\n{",
    );
    const drip = setInterval(() => socket.writable && socket.write(" "), 100);
    try {
      expect(await within(closed, 5_000)).not.toBe("still open");
    } finally {
      clearInterval(drip);
    }
  });

  it("closes a connection that never sends anything", async () => {
    const { closed } = rawSocket(server.url);
    expect(await within(closed, 5_000)).not.toBe("still open");
  });
});

describe("connection cap (finding 8)", () => {
  let server: TestServer;
  beforeAll(async () => {
    // Default timeouts: the idle connections below must stay open while the cap is tested.
    server = await startServer({ limits: { ...TEST_LIMITS, maxConnections: 6 } });
  });
  afterAll(() => server.close());

  it("refuses connections beyond the cap and serves again once they go", async () => {
    const idle = Array.from({ length: 6 }, () => rawSocket(server.url));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const extra = rawSocket(server.url);
    // Refused at accept: closed without an answer, long before any timeout.
    expect(await within(extra.closed, 5_000)).toBe("");
    for (const { socket } of idle) socket.destroy();
    await Promise.all(idle.map(({ closed }) => closed));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await server.http("GET", "/health")).status).toBe(200);
  });
});

describe("plain-HTTP LAN play (finding 15)", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ trustProxy: "127.0.0.1" });
  });
  afterAll(() => server.close());

  it("sends neither HSTS nor upgrade-insecure-requests over plain HTTP", async () => {
    for (const route of ["/", "/health"]) {
      const res = await server.http("GET", route);
      expect(res.headers.get("strict-transport-security")).toBeNull();
      const csp = res.headers.get("content-security-policy") ?? "";
      expect(csp).toContain("default-src 'self'");
      expect(csp).not.toContain("upgrade-insecure-requests");
    }
  });

  it("sends both when a trusted proxy says the request came over HTTPS", async () => {
    const res = await server.http("GET", "/health", { headers: { "x-forwarded-proto": "https" } });
    expect(res.headers.get("strict-transport-security")).toMatch(/max-age=\d+/);
    expect(res.headers.get("content-security-policy")).toContain("upgrade-insecure-requests");
  });

  it("ignores X-Forwarded-Proto from a proxy it does not trust", async () => {
    const untrusting = await startServer();
    try {
      const res = await untrusting.http("GET", "/health", { headers: { "x-forwarded-proto": "https" } });
      expect(res.headers.get("strict-transport-security")).toBeNull();
    } finally {
      await untrusting.close();
    }
  });
});

describe("database that cannot be written (finding 12)", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ limits: { ...TEST_LIMITS, dbBusyTimeoutMs: 200 } });
  });
  afterAll(() => server.close());

  it("runs SQLite in WAL mode", async () => {
    const db = createDb(server.config.databaseUrl);
    try {
      expect(await db.$queryRawUnsafe("PRAGMA journal_mode")).toEqual([{ journal_mode: "wal" }]);
    } finally {
      await db.$disconnect();
    }
  });

  it("answers 503 unavailable on /ready, HTTP writes and socket writes while the database is locked", async () => {
    const alice = await server.register("lockalice");
    await server.register("lockbob");
    const social = await connect(server.url, alice.token);
    // Another connection holds the write lock longer than the busy timeout.
    const locker = createDb(server.config.databaseUrl);
    await locker.$executeRawUnsafe("BEGIN IMMEDIATE");
    try {
      const ready = await server.http("GET", "/ready");
      expect(ready.status).toBe(503);
      expect(ready.body.error.code).toBe("unavailable");
      const write = await server.http("POST", "/api/auth/register", {
        body: { username: "lockcarol", password: "correct-horse-battery" },
      });
      expect(write.status).toBe(503);
      expect(write.body.error.code).toBe("unavailable");
      expect(Number(write.headers.get("retry-after"))).toBeGreaterThan(0);
      const reply = await request(social, "friends:request", { username: "lockbob" });
      expect(reply).toMatchObject({ ok: false, error: { code: "unavailable" } });
    } finally {
      await locker.$executeRawUnsafe("ROLLBACK");
      await locker.$disconnect();
    }
    expect((await server.http("GET", "/ready")).status).toBe(200);
    expect(await request(social, "friends:request", { username: "lockbob" })).toMatchObject({ ok: true });
  });

  it("answers 503 on /ready and to writes once the database file is deleted", async () => {
    const doomed = await startServer();
    try {
      const dave = await doomed.register("gonedave");
      await doomed.register("goneerin");
      const social = await connect(doomed.url, dave.token);
      expect((await doomed.http("GET", "/ready")).status).toBe(200);
      for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(doomed.dbFile + suffix, { force: true });
      const ready = await doomed.http("GET", "/ready");
      expect(ready.status).toBe(503);
      expect(ready.body).toMatchObject({ status: "unavailable", error: { code: "unavailable" } });
      // In WAL mode SQLite would happily write into the deleted file: writes are refused instead.
      const write = await doomed.http("POST", "/api/auth/register", {
        body: { username: "gonefrank", password: "correct-horse-battery" },
      });
      expect(write.status).toBe(503);
      expect(write.body.error.code).toBe("unavailable");
      const reply = await request(social, "friends:request", { username: "goneerin" });
      expect(reply).toMatchObject({ ok: false, error: { code: "unavailable" } });
    } finally {
      await doomed.close();
    }
  });
});
