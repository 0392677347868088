import net from "node:net";
import { io } from "socket.io-client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { closeAll, connect, ok, waitFor } from "../support/client.js";
import { startServer, type TestServer } from "../support/server.js";

// Finding 16: docs/protocol.md and the server agree on these.
let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterEach(() => closeAll());
afterAll(() => server.close());

describe("docs/protocol.md matches the server (finding 16)", () => {
  it("sends server:welcome, then rooms:snapshot, then notices:snapshot on a game server", async () => {
    const { token } = await server.register("doc_order");
    const socket = io(`${server.url}/servers/eu-1`, {
      auth: { token },
      transports: ["websocket"],
      forceNew: true,
      reconnection: false,
    });
    const order: string[] = [];
    socket.onAny((event) => order.push(event));
    try {
      await waitFor(socket, "notices:snapshot", 5_000);
      expect(order.slice(0, 3)).toEqual(["server:welcome", "rooms:snapshot", "notices:snapshot"]);
    } finally {
      socket.close();
    }
  });

  it("ignores whatever presence:announce carries", async () => {
    const { token } = await server.register("doc_announce");
    const social = await connect(server.url, token);
    for (const payload of ["hello", 42, [1, 2], true, { anything: "at all" }]) {
      expect(await ok(social, "presence:announce", payload)).toHaveProperty("announced");
    }
  });

  it("answers a refused WebSocket upgrade 400 and a refused polling handshake 403", async () => {
    const { port } = new URL(server.url);
    const upgrade = await new Promise<string>((resolve) => {
      const socket = net.connect(Number(port), "127.0.0.1", () =>
        socket.write(
          "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
            "Origin: http://evil.example\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n" +
            "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n",
        ),
      );
      let received = "";
      socket.on("data", (chunk) => {
        received += chunk;
      });
      socket.on("close", () => resolve(received));
      socket.on("error", () => {});
    });
    expect(upgrade).toMatch(/^HTTP\/1\.1 400 /);
    expect(upgrade).toContain("forbidden_origin");
    const polling = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`, {
      headers: { origin: "http://evil.example" },
    });
    expect(polling.status).toBe(403);
    expect(await polling.json()).toMatchObject({ message: "forbidden_origin" });
  });

  it("appends the recovery offset as one extra string argument to broadcasts", async () => {
    const { token } = await server.register("doc_offset");
    const game = await connect(server.url, token, "/servers/eu-1");
    let joined: Promise<unknown> = Promise.resolve();
    const args = await new Promise<unknown[]>((resolve) => {
      game.onAny((event, ...rest) => {
        if (event === "channels:updated") resolve(rest);
      });
      joined = ok(game, "channel:join", { channel: 1 });
    });
    expect(args).toHaveLength(2);
    expect(Array.isArray(args[0])).toBe(true);
    expect(typeof args[1]).toBe("string");
    // The broadcast can come before the reply (a slower database): wait for it before closing.
    await joined;
  });
});
