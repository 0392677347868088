import { Manager, type Socket } from "socket.io-client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { closeAll, connect, expectNothing, ok, request, waitFor } from "../support/client.js";
import { withDb } from "../support/db.js";
import { startServer, TEST_LIMITS, type TestServer } from "../support/server.js";

// Connection state recovery restores socket.data and rooms; these check that it never restores
// rights that were lost while the socket was away (finding 10), and that rights ending while a
// socket is open end it (finding 14).
let server: TestServer;
const managers: Manager[] = [];

beforeAll(async () => {
  server = await startServer({ limits: { ...TEST_LIMITS, sessionCheckMs: 100 } });
});
afterEach(() => {
  closeAll();
  for (const manager of managers.splice(0)) manager.engine?.close();
});
afterAll(() => server.close());

/** A socket whose Manager we control: it reconnects only when told, and then offers recovery. */
function openSocket(token: string, namespace: string): Promise<Socket> {
  const manager = new Manager(server.url, { transports: ["websocket"], reconnection: false });
  managers.push(manager);
  const socket = manager.socket(namespace, { auth: { token } });
  // Recovery resumes from the last packet received: wait for the first one (a snapshot or the
  // stats), which can come after "connect" when the database is slower (PostgreSQL).
  const firstPacket = new Promise<void>((resolve) => {
    const first = () => {
      socket.offAny(first);
      resolve();
    };
    socket.onAny(first);
  });
  return new Promise((resolve, reject) => {
    socket.once("connect", () => firstPacket.then(() => resolve(socket), reject));
    socket.once("connect_error", reject);
  });
}

/** Drops the transport as a network failure would; the server keeps the session for recovery. */
async function dropTransport(socket: Socket, namespace: string): Promise<void> {
  const before = server.app.io.of(namespace).sockets.size;
  socket.io.engine.close();
  await expect.poll(() => server.app.io.of(namespace).sockets.size).toBeLessThan(before);
}

/** Reconnects with the recovery id and resolves with what happened. */
function reconnect(socket: Socket): Promise<{ connected: boolean; recovered: boolean; error?: string }> {
  return new Promise((resolve) => {
    socket.once("connect", () => resolve({ connected: true, recovered: socket.recovered }));
    socket.once("connect_error", (error) =>
      resolve({ connected: false, recovered: false, error: error.message }),
    );
    socket.connect();
  });
}

describe("connection state recovery re-checks rights (finding 10)", () => {
  it("recovers a socket whose rights are intact", async () => {
    const { token } = await server.register("rec_fine");
    const socket = await openSocket(token, "/");
    await dropTransport(socket, "/");
    expect(await reconnect(socket)).toEqual({ connected: true, recovered: true });
  });

  it("refuses to recover a socket whose session was logged out meanwhile", async () => {
    const { token } = await server.register("rec_logout");
    const socket = await openSocket(token, "/");
    await dropTransport(socket, "/");
    expect((await server.http("POST", "/api/auth/logout", { token })).status).toBe(204);
    expect(await reconnect(socket)).toMatchObject({ connected: false, error: "unauthorized" });
  });

  it("refuses to recover /admin for an admin demoted meanwhile", async () => {
    const boss = await server.admin("rec_boss");
    const socket = await openSocket(boss.token, "/admin");
    await dropTransport(socket, "/admin");
    await withDb(server, (db) => db.user.update({ where: { id: boss.user.id }, data: { role: "player" } }));
    expect(await reconnect(socket)).toMatchObject({ connected: false, error: "forbidden" });
  });

  it("cuts a demoted admin's open /admin socket, keeps the rest, and refreshes the role", async () => {
    const boss = await server.admin("cut_boss");
    const admin = await openSocket(boss.token, "/admin");
    const social = await connect(server.url, boss.token, "/");
    const cut = waitFor(admin, "disconnect", 5_000);
    await withDb(server, (db) => db.user.update({ where: { id: boss.user.id }, data: { role: "player" } }));
    expect(await cut).toBe("io server disconnect");
    await expectNothing(social, "disconnect", 300);
    const [socket] = await server.app.io.of("/").in(`user:${boss.user.id}`).fetchSockets();
    expect(socket?.data.role).toBe("player");
    expect(await reconnect(admin)).toMatchObject({ connected: false, error: "forbidden" });
  });

  it("recovers a game-server socket with a fresh welcome; the snapshots are not kept for replay", async () => {
    const { token } = await server.register("rec_game");
    const game = await openSocket(token, "/servers/eu-1");
    // The replay buffer keeps what a recovered socket may have missed: never the connect snapshots.
    const buffer = (
      server.app.io.of("/servers/eu-1").adapter as unknown as { packets: { data: unknown[] }[] }
    ).packets;
    const kept = buffer.map((packet) => packet.data[0]);
    expect(kept).not.toContain("server:welcome");
    expect(kept).not.toContain("rooms:snapshot");
    // A client can recover once a buffered packet (the notices snapshot after the welcome) gave it an offset.
    await expect.poll(() => (game as unknown as { _lastOffset?: string })._lastOffset).toBeTruthy();
    await dropTransport(game, "/servers/eu-1");
    const welcome = waitFor(game, "server:welcome", 3_000);
    expect(await reconnect(game)).toEqual({ connected: true, recovered: true });
    expect((await welcome).server.slug).toBe("eu-1");
  });

  it("refuses to recover a game-server socket once the server closed", async () => {
    const boss = await server.admin("rec_closer");
    await server.http("POST", "/api/admin/servers", {
      token: boss.token,
      body: {
        slug: "rec-srv",
        name: "R",
        region: "eu",
        channelCount: 1,
        channelCapacity: 5,
        maxPopulation: 5,
      },
    });
    const { token } = await server.register("rec_player");
    const game = await openSocket(token, "/servers/rec-srv");
    await ok(game, "channel:join", { channel: 1 });
    await dropTransport(game, "/servers/rec-srv");
    await server.http("POST", "/api/admin/servers/rec-srv/close", { token: boss.token, body: {} });
    const outcome = await reconnect(game);
    expect(outcome.connected).toBe(false);
    expect(await request(game, "channel:chat", { text: "still here?" }, 300).catch(() => "no reply")).toBe(
      "no reply",
    );
  });
});

describe("rights that end while a socket is open (finding 14)", () => {
  it("cuts a socket when its token expires", async () => {
    const short = await startServer({
      // 3 s: a loaded machine must not expire the token before the socket has connected.
      tokenTtlSeconds: 3,
      limits: { ...TEST_LIMITS, sessionCheckMs: 100 },
    });
    try {
      const { token } = await short.register("expiring");
      const socket = await connect(short.url, token, "/");
      expect(await waitFor(socket, "disconnect", 8_000)).toBe("io server disconnect");
    } finally {
      await short.close();
    }
  });

  it("deletes expired and revoked sessions at start", async () => {
    const { token } = await server.register("pruned");
    await server.http("POST", "/api/auth/logout", { token });
    const again = await startServer({}, server.dbFile);
    try {
      await expect
        .poll(() => withDb(server, (db) => db.session.count({ where: { revokedAt: { not: null } } })))
        .toBe(0);
    } finally {
      await again.close();
    }
  });
});
