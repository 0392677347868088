import crypto from "node:crypto";
import net from "node:net";
import { once } from "node:events";
import { expect, it } from "vitest";
import { startServer } from "../support/server.js";

// A player whose network died mid-game: the TCP connection is still open, but nothing answers.
// ws waits 30 s for the answer to its close frame; the shutdown must not wait with it.
it("shuts down in seconds when a WebSocket peer never answers the close", { timeout: 60_000 }, async () => {
  const server = await startServer();
  const peer = net.connect(Number(new URL(server.url).port), "127.0.0.1");
  await once(peer, "connect");
  peer.write(
    [
      "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1",
      "Host: 127.0.0.1",
      "Upgrade: websocket",
      "Connection: Upgrade",
      `Sec-WebSocket-Key: ${crypto.randomBytes(16).toString("base64")}`,
      "Sec-WebSocket-Version: 13",
      "",
      "",
    ].join("\r\n"),
  );
  await expect.poll(() => server.app.io.engine.clientsCount).toBe(1);
  peer.pause(); // reads nothing more, so the close frame is never answered

  const started = performance.now();
  await server.close();
  const closedMs = performance.now() - started;
  peer.destroy();
  // Not a performance figure: without the cut this takes ws's whole 30 s close timeout.
  expect(closedMs).toBeLessThan(10_000);
});
