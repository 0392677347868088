import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { launchBrowser } from "../support/browser.js";
import { PASSWORD, startServer, type TestServer } from "../support/server.js";
import { openPlayer, shot, signUp, TEST_CLIENT_DIR, until } from "./helpers.js";

let server: TestServer;
let browser: Browser;
beforeAll(async () => {
  server = await startServer({ clientDir: TEST_CLIENT_DIR });
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

it("tells a player in the game client why they were muted and banned, and why sign-in is refused", {
  timeout: 90_000,
}, async () => {
  const admin = await server.admin("clientmod");
  const page = await openPlayer(browser, server.url);
  await signUp(page, "rowdy");
  const me = await until(page, (s) => s.connection === "online");
  const userId = me.me.id;

  const muted = await server.http("POST", `/api/admin/players/${userId}/mute`, {
    token: admin.token,
    body: { durationSeconds: 600, reason: "Shouting in channel 1" },
  });
  expect(muted.status).toBe(201);
  await until(page, (s) =>
    s.toasts.some((t: any) => /^You are muted until .+: Shouting in channel 1$/.test(t.text)),
  );

  await server.http("POST", `/api/admin/players/${userId}/ban`, {
    token: admin.token,
    body: { reason: "Cheating in ranked" },
  });
  const why = "You are banned for good: Cheating in ranked";
  await until(page, (s) => s.scene === "login" && s.signedOutBecause === why);
  await page.waitForSelector(`form.panel .error:has-text("${why}")`);
  await shot(page, "client-banned");

  // Signing in again is refused with the same words (cleared first, so this is the login's answer).
  await page.locator("form.panel .error").evaluate((el) => {
    el.textContent = "";
  });
  await page.fill('input[name="username"]', "rowdy");
  await page.fill('input[name="password"]', PASSWORD);
  await page.click('button[name="signin"]');
  await page.waitForSelector('form.panel .error:has-text("You are banned for good: Cheating in ranked")');
  expect((await until(page, (s) => s.scene === "login")).me).toBeNull();
});
