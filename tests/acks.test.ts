import { Limits } from "@rally/protocol";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../apps/server/src/realtime/app-error.js";
import { handle } from "../apps/server/src/realtime/handle.js";
import { closeAll, connect, request, waitFor } from "./support/client.js";
import { startServer, type TestServer } from "./support/server.js";

const METRICS_TOKEN = "metrics-token-for-tests";

// These tests attach handlers to a live server with the production `handle()` wrapper, over real
// sockets, to pin down the ack discipline every feature relies on.
let server: TestServer;
let calls: { event: string; payload: unknown }[] = [];
const silentLog = { error: () => {} };

beforeAll(async () => {
  server = await startServer({ metrics: { token: METRICS_TOKEN, host: null, port: null } });
  server.app.io.of("/ack-test").on("connection", (socket) => {
    handle(
      socket,
      "friends:request",
      (payload) => {
        calls.push({ event: "friends:request", payload });
        if (payload.username === "boom")
          throw new Error('SQLITE_ERROR: near "SELECT": secret at /srv/app.ts:12');
        if (payload.username === "refuse") throw new AppError("user_not_found", "No such player");
        return { outcome: "requested" };
      },
      silentLog,
    );
  });
});
afterEach(() => {
  calls = [];
  closeAll();
});
afterAll(() => server.close());

async function client() {
  const { token } = await server.register(`u${Math.random().toString(36).slice(2, 10)}`);
  return connect(server.url, token, "/ack-test");
}

describe("ack discipline", () => {
  it("replies ok with data", async () => {
    const socket = await client();
    expect(await request(socket, "friends:request", { username: "bob" })).toEqual({
      ok: true,
      data: { outcome: "requested" },
    });
  });

  it("replies invalid_payload naming the field, and never runs the handler", async () => {
    const socket = await client();
    const reply = await request(socket, "friends:request", { username: 42 });
    expect(reply).toMatchObject({ ok: false, error: { code: "invalid_payload", field: "username" } });
    const missing = await request(socket, "friends:request", undefined);
    expect(missing).toMatchObject({ ok: false, error: { code: "invalid_payload" } });
    expect(calls).toHaveLength(0);
  });

  it("replies with the refusal's own code", async () => {
    const socket = await client();
    expect(await request(socket, "friends:request", { username: "refuse" })).toEqual({
      ok: false,
      error: { code: "user_not_found", message: "No such player" },
    });
  });

  it("replies internal without leaking the cause", async () => {
    const socket = await client();
    const reply = await request(socket, "friends:request", { username: "boom" });
    expect(reply.ok).toBe(false);
    if (reply.ok) return;
    expect(reply.error.code).toBe("internal");
    const text = JSON.stringify(reply);
    for (const leak of ["SQLITE", "SELECT", "secret", "/srv", "at "]) expect(text).not.toContain(leak);
    // the connection survives
    expect(await request(socket, "friends:request", { username: "after" })).toMatchObject({ ok: true });
  });

  it("runs one-way events without a reply", async () => {
    const socket = await client();
    socket.emit("friends:request", { username: "oneway" });
    await expect.poll(() => calls.length).toBe(1);
    expect(calls[0]?.payload).toEqual({ username: "oneway" });
  });

  it("answers an unknown event carrying a callback with unknown_event, and counts it", async () => {
    const socket = await client();
    const reply = await request(socket, "nothing:here", { a: 1 });
    expect(reply).toMatchObject({ ok: false, error: { code: "unknown_event" } });
    // a handler registered on another namespace is unknown here
    const root = await connect(server.url, (await server.register("rootuser")).token, "/");
    expect(await request(root, "room:create", { title: "x" })).toMatchObject({
      ok: false,
      error: { code: "unknown_event" },
    });
    const metrics = await server.http("GET", "/metrics", { token: METRICS_TOKEN });
    expect(metrics.body).toMatch(/rally_unknown_events_total\{namespace="\/ack-test"\} [1-9]/);
  });

  it("discards an unknown event without a callback and keeps the connection", async () => {
    const socket = await client();
    socket.emit("nothing:here", { a: 1 });
    expect(await request(socket, "friends:request", { username: "still" })).toMatchObject({ ok: true });
    expect(socket.connected).toBe(true);
    expect(calls.map((c) => c.payload)).toEqual([{ username: "still" }]);
  });

  it("refuses an oversized payload without harming other clients", async () => {
    const sender = await client();
    const bystander = await client();
    const big = "x".repeat(Limits.maxPayloadBytes + 10);
    expect(await request(sender, "friends:request", { username: big })).toMatchObject({
      ok: false,
      error: { code: "payload_too_large" },
    });
    expect(calls).toHaveLength(0);
    // beyond the transport cap only the sender's connection is closed
    const gone = waitFor(sender, "disconnect");
    sender.emit("friends:request", { username: "y".repeat(1_100_000) });
    expect(await gone).toBe("transport close");
    expect(await request(bystander, "friends:request", { username: "fine" })).toMatchObject({ ok: true });
  });
});
