import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { DEFAULT_SOCKET_LIMITS } from "../../apps/server/src/config.js";
import { launchBrowser } from "../support/browser.js";
import { startServer, type TestServer } from "../support/server.js";
import { never, openPlayer, shot, signUp, TEST_CLIENT_DIR, until } from "./helpers.js";

// One connection per player and namespace, so a second window of the same account is over the cap.
let server: TestServer;
let browser: Browser;
beforeAll(async () => {
  server = await startServer({
    clientDir: TEST_CLIENT_DIR,
    socketLimits: { ...DEFAULT_SOCKET_LIMITS, maxSocketsPerUser: 1 },
  });
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

it("tells a window over the connection cap why it waits, once, and connects when another closes", {
  timeout: 90_000,
}, async () => {
  const first = await openPlayer(browser, server.url);
  await signUp(first, "tabby");
  await until(first, (s) => s.connection === "online");

  const second = await openPlayer(browser, server.url);
  await signUp(second, "tabby", "signin");
  const why = "At most 1 connection per player here: close another tab first";
  const told = await until(second, (s) => s.toasts.some((t: any) => t.text === why));
  expect(told.connection).not.toBe("online");
  await shot(second, "too-many-tabs");
  // Retrying does not repeat the toast.
  await never(second, (s) => s.toasts.filter((t: any) => t.text === why).length > 1, 3_000);

  await first.context().close();
  await until(second, (s) => s.connection === "online", 20_000);
});
