import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { artifactPath, launchBrowser } from "../support/browser.js";
import { closeAll, connect, expectNothing, waitFor } from "../support/client.js";
import { PASSWORD, startServer, type TestServer } from "../support/server.js";
import { closeServerSockets, newPlayer } from "../lobby/helpers.js";

let server: TestServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
}, 60_000);

afterAll(async () => {
  closeServerSockets();
  closeAll();
  await browser?.close();
  await server?.close();
});

it("lets an admin sign in, post, schedule and remove notices, watch live population, run maintenance", {
  timeout: 90_000,
}, async () => {
  await server.admin("pageadmin");
  const player = await server.register("listener");
  const social = await connect(server.url, player.token, "/");
  await newPlayer(server, "na-1");

  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  await page.goto(`${server.url}/admin`);
  await page.fill('input[name="username"]', "player_not_admin");
  await page.fill('input[name="password"]', PASSWORD);
  await page.click('#signin-form button[type="submit"]');
  await page.waitForSelector("#signin-error:has-text('Wrong username or password')");

  await page.fill('input[name="username"]', "pageadmin");
  await page.click('#signin-form button[type="submit"]');
  await page.waitForSelector("#console:not([hidden])");
  await page.waitForSelector('#stats tr[data-server="na-1"] .population:has-text("1")', { timeout: 10_000 });
  await page.screenshot({ path: artifactPath("admin-signed-in") });

  const delivered = waitFor(social, "notice:posted", 10_000);
  await page.fill('textarea[name="text"]', "Servers restart at midnight");
  await page.selectOption('#notice-form select[name="severity"]', "critical");
  await page.click('#notice-form button[type="submit"]');
  const notice = await delivered;
  expect(notice).toMatchObject({
    text: "Servers restart at midnight",
    severity: "critical",
    scope: { kind: "all" },
  });
  await page.waitForSelector(`#notices li[data-id="${notice.id}"]`);
  await page.screenshot({ path: artifactPath("admin-notice-posted") });

  expect(errors.filter((e) => !e.includes("401"))).toEqual([]);
  const removed = waitFor(social, "notice:removed", 10_000);
  await page.click(`#notices li[data-id="${notice.id}"] button`);
  expect(await removed).toEqual({ id: notice.id });
  await page.waitForSelector(`#notices li[data-id="${notice.id}"]`, { state: "detached" });

  // Schedule one an hour ahead: listed as scheduled, and nobody receives it yet.
  const early = expectNothing(social, "notice:posted", 1_500);
  const inAnHour = new Date(Date.now() + 3_600_000);
  const local = new Date(inAnHour.getTime() - inAnHour.getTimezoneOffset() * 60_000);
  await page.fill('textarea[name="text"]', "Tournament tonight");
  await page.fill('input[name="startsAt"]', local.toISOString().slice(0, 16));
  await page.click('#notice-form button[type="submit"]');
  await page.waitForSelector('#notices li[data-state="scheduled"]:has-text("Tournament tonight")');
  await early;

  // Maintenance from the page: the server's players are told, its status changes, cancel lifts it.
  const onAsia = await newPlayer(server, "asia-1");
  const countdown = waitFor(onAsia.socket, "notice:posted", 10_000, (n) => n.kind === "maintenance");
  await page.selectOption('#maintenance-form select[name="server"]', "asia-1");
  await page.fill('#maintenance-form input[name="seconds"]', "600");
  await page.click('#maintenance-form button[type="submit"]');
  expect((await countdown).scope).toEqual({ kind: "server", server: "asia-1" });
  const asiaStatus = '#stats tr[data-server="asia-1"] td:nth-child(2)';
  await page.waitForSelector(`${asiaStatus}:text-is("maintenance")`, { timeout: 10_000 });
  await page.screenshot({ path: artifactPath("admin-maintenance") });
  const lifted = waitFor(onAsia.socket, "notice:removed", 10_000);
  await page.click("#maintenance-cancel");
  await lifted;
  await page.waitForSelector(`${asiaStatus}:text-is("open")`, { timeout: 10_000 });
  expect(await page.textContent("#maintenance-error")).toBe("");
});
