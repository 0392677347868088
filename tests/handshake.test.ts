import { io } from "socket.io-client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { closeAll, connect, connectError, waitFor } from "./support/client.js";
import { startServer, type TestServer } from "./support/server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterEach(() => closeAll());
afterAll(() => server.close());

function tamper(token: string): string {
  const [h, p, s] = token.split(".");
  const payload = JSON.parse(Buffer.from(p!, "base64url").toString());
  payload.sid = "forged-session";
  return `${h}.${Buffer.from(JSON.stringify(payload)).toString("base64url")}.${s}`;
}

describe("socket handshake", () => {
  it("accepts a valid token and keeps the identity from it", async () => {
    const { token } = await server.register("sock_ok");
    const socket = await connect(server.url, token);
    expect(socket.connected).toBe(true);
    const [serverSocket] = await server.app.io.of("/").fetchSockets();
    expect(serverSocket?.data).toMatchObject({ username: "sock_ok", role: "player" });
  });

  it.each([
    ["missing", () => Promise.resolve(undefined)],
    ["malformed", () => Promise.resolve("garbage")],
    [
      "tampered",
      async () => tamper((await server.register(`tamp_${Math.random().toString(36).slice(2, 8)}`)).token),
    ],
  ])("refuses a %s token with unauthorized", async (_label, makeToken) => {
    const error = await connectError(server.url, await makeToken());
    expect(error.message).toBe("unauthorized");
    expect(error.data?.code).toBe("unauthorized");
  });

  it("refuses an expired token", async () => {
    const short = await startServer({ tokenTtlSeconds: 3 });
    try {
      const { token } = await short.register("expiring");
      await new Promise((r) => setTimeout(r, 3_200));
      const error = await connectError(short.url, token);
      expect(error.message).toBe("unauthorized");
    } finally {
      await short.close();
    }
  });

  it("refuses a revoked token and disconnects the sockets it opened", async () => {
    const { token } = await server.register("revokee");
    const other = await server.login("revokee");
    const first = await connect(server.url, token);
    const second = await connect(server.url, token);
    const untouched = await connect(server.url, other.token);
    const firstGone = waitFor(first, "disconnect");
    const secondGone = waitFor(second, "disconnect");
    expect((await server.http("POST", "/api/auth/logout", { token })).status).toBe(204);
    expect(await firstGone).toBe("io server disconnect");
    expect(await secondGone).toBe("io server disconnect");
    const error = await connectError(server.url, token);
    expect(error.message).toBe("unauthorized");
    await new Promise((r) => setTimeout(r, 200));
    expect(untouched.connected).toBe(true);
  });

  it("refuses a foreign Origin before any namespace, for polling and websocket", async () => {
    const { token } = await server.register("origin_user");
    for (const transport of ["polling", "websocket"]) {
      const error = await connectError(server.url, token, "/", {
        transports: [transport],
        extraHeaders: { origin: "http://evil.example" },
      });
      expect(error).toBeInstanceOf(Error);
    }
    const polling = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`, {
      headers: { origin: "http://evil.example" },
    });
    expect(polling.status).toBe(403);
    const same = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`, {
      headers: { origin: server.url },
    });
    expect(same.status).toBe(200);
  });

  it("accepts the configured ALLOWED_ORIGINS and nothing else", async () => {
    const strict = await startServer({ allowedOrigins: ["http://game.example"] });
    try {
      const { token } = await strict.register("listed");
      const socket = await connect(strict.url, token, "/", {
        transports: ["polling"],
        extraHeaders: { origin: "http://game.example" },
      });
      expect(socket.connected).toBe(true);
      const error = await connectError(strict.url, token, "/", {
        transports: ["polling"],
        extraHeaders: { origin: strict.url },
      });
      expect(error).toBeInstanceOf(Error);
    } finally {
      await strict.close();
    }
  });

  it("never runs connection handlers for a refused socket", async () => {
    let connections = 0;
    const count = () => connections++;
    server.app.io.of("/").on("connection", count);
    try {
      const socket = io(`${server.url}/`, {
        auth: {},
        transports: ["websocket"],
        reconnection: false,
        forceNew: true,
      });
      const error = await waitFor(socket, "connect_error");
      expect(error.message).toBe("unauthorized");
      socket.close();
      expect(connections).toBe(0);
      const { token } = await server.register("counted");
      await connect(server.url, token);
      expect(connections).toBe(1);
    } finally {
      server.app.io.of("/").off("connection", count);
    }
  });
});
