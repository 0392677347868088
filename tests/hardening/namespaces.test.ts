import { Manager, type Socket } from "socket.io-client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { closeAll, connect, connectError, expectNothing, ok, waitFor } from "../support/client.js";
import { startServer, type TestServer } from "../support/server.js";

let server: TestServer;
let adminToken: string;
const managers: Manager[] = [];

beforeAll(async () => {
  server = await startServer();
  adminToken = (await server.admin("ns_boss")).token;
});
afterEach(() => {
  closeAll();
  for (const manager of managers.splice(0)) manager.engine?.close();
});
afterAll(() => server.close());

const namespaceCount = () => server.app.io._nsps.size;

async function addServer(slug: string): Promise<void> {
  const res = await server.http("POST", "/api/admin/servers", {
    token: adminToken,
    body: { slug, name: slug, region: "eu", channelCount: 2, channelCapacity: 10, maxPopulation: 10 },
  });
  expect(res.status).toBe(201);
}

function socketOn(manager: Manager, namespace: string, token: string): Promise<Socket> {
  const socket = manager.socket(namespace, { auth: { token } });
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", reject);
  });
}

describe("junk namespaces (finding 5)", () => {
  it("refuses 500 connects to unknown slugs without creating a namespace", async () => {
    const { token } = await server.register("ns_junk");
    const before = namespaceCount();
    const manager = new Manager(server.url, { transports: ["websocket"], reconnection: false });
    managers.push(manager);
    const refusals = await Promise.all(
      Array.from({ length: 500 }, (_, i) =>
        socketOn(manager, `/servers/junk-${i}`, token).then(
          () => "connected",
          (error: Error) => error.message,
        ),
      ),
    );
    expect(new Set(refusals)).toEqual(new Set(["Invalid namespace"]));
    expect(namespaceCount()).toBe(before);
  });

  it("still connects to a server created after start", async () => {
    await addServer("ns-fresh");
    const { token } = await server.register("ns_fresh");
    await connect(server.url, token, "/servers/ns-fresh");
  });

  it("removes the namespace of a closed server, keeps refusing it, and brings it back on reopen", async () => {
    await addServer("ns-doomed");
    const { token } = await server.register("ns_doomed");
    await connect(server.url, token, "/servers/ns-doomed");
    expect(server.app.io._nsps.has("/servers/ns-doomed")).toBe(true);
    await server.http("POST", "/api/admin/servers/ns-doomed/close", { token: adminToken, body: {} });
    await expect.poll(() => server.app.io._nsps.has("/servers/ns-doomed"), { timeout: 5_000 }).toBe(false);
    for (let i = 0; i < 3; i++) {
      expect((await connectError(server.url, token, "/servers/ns-doomed")).message).toBe("unknown_server");
    }
    await expect.poll(() => server.app.io._nsps.has("/servers/ns-doomed"), { timeout: 5_000 }).toBe(false);
    await server.http("PATCH", "/api/admin/servers/ns-doomed", {
      token: adminToken,
      body: { status: "open" },
    });
    const back = await connect(server.url, token, "/servers/ns-doomed");
    expect(await ok(back, "channel:join", { channel: 1 })).toMatchObject({ channel: 1 });
  });
});

describe("closing one game server on a shared Manager (finding 13)", () => {
  it("disconnects only that namespace: / stays connected and working", async () => {
    await addServer("ns-shared");
    const alice = await server.register("ns_alice");
    const manager = new Manager(server.url, { transports: ["websocket"], reconnection: false });
    managers.push(manager);
    const social = await socketOn(manager, "/", alice.token);
    const game = await socketOn(manager, "/servers/ns-shared", alice.token);
    const gameGone = waitFor(game, "disconnect", 5_000);
    const socialQuiet = expectNothing(social, "disconnect", 1_000);
    await server.http("POST", "/api/admin/servers/ns-shared/close", { token: adminToken, body: {} });
    expect(await gameGone).toBe("io server disconnect");
    await socialQuiet;
    expect(social.connected).toBe(true);
    expect(await ok(social, "friends:list")).toMatchObject({ friends: [] });
  });

  it("logout disconnects the session's sockets, not another token's socket on the same Manager", async () => {
    const leaving = await server.register("ns_leaving");
    const staying = await server.register("ns_staying");
    const manager = new Manager(server.url, { transports: ["websocket"], reconnection: false });
    managers.push(manager);
    const leavingSocket = await socketOn(manager, "/", leaving.token);
    const stayingSocket = await socketOn(manager, "/servers/eu-1", staying.token);
    const gone = waitFor(leavingSocket, "disconnect", 5_000);
    const quiet = expectNothing(stayingSocket, "disconnect", 1_000);
    await server.http("POST", "/api/auth/logout", { token: leaving.token });
    expect(await gone).toBe("io server disconnect");
    await quiet;
    expect(await ok(stayingSocket, "channel:join", { channel: 2 })).toMatchObject({ channel: 2 });
  });
});
