/**
 * Takes the README's screenshots (docs/screenshots/*.png, 1280×720) by playing a short session
 * with three players against a real server and the test build of the client.
 *   npm run build:test-client && npx tsx scripts/screenshots.ts
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Page } from "playwright-core";
import { buildApp } from "../apps/server/src/app.js";
import { loadConfig } from "../apps/server/src/config.js";
import { migrate } from "../apps/server/src/db.js";
import { launchBrowser } from "../tests/support/browser.js";

const OUT = path.resolve("docs/screenshots");
const PASSWORD = "correct-horse-battery";
const state = (page: Page) => page.evaluate(() => (window as any).__rally.state());
async function until(page: Page, test: (s: any) => unknown, ms = 15_000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const s = await state(page).catch(() => null);
    if (s && test(s)) return s;
    await page.waitForTimeout(100);
  }
  throw new Error(`timed out: ${test}`);
}
const snap = async (page: Page, name: string) => {
  // Only the front page gets animation frames in a headless browser.
  await page.bringToFront();
  await page.waitForTimeout(600);
  await page.screenshot({ path: path.join(OUT, `${name}.png`) });
  console.log(`docs/screenshots/${name}.png`);
};

async function main() {
  fs.mkdirSync(OUT, { recursive: true });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rally-shots-"));
  const databaseUrl = `file:${path.join(dir, "shots.db")}`;
  await migrate(databaseUrl);
  const config = loadConfig({
    DATABASE_URL: databaseUrl,
    SESSION_SECRET: crypto.randomBytes(32).toString("hex"),
    LOG_LEVEL: "silent",
    CLIENT_DIR: path.resolve("apps/game-client/dist-test"),
    PRESENCE_GRACE_MS: "300",
  });
  const app = await buildApp({ ...config, host: "127.0.0.1", port: 0 });
  const url = await app.listen({ host: "127.0.0.1", port: 0 });
  const browser = await launchBrowser();
  const open = async () => {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 720 } })).newPage();
    await page.goto(url);
    await until(page, (s) => s.scene === "login");
    return page;
  };
  const signUp = async (page: Page, name: string) => {
    await page.fill('input[name="username"]', name);
    await page.fill('input[name="password"]', PASSWORD);
    await page.click('button[name="register"]');
    await until(page, (s) => s.scene === "servers");
  };
  try {
    const [a, b, c] = [await open(), await open(), await open()];
    await snap(a, "login");
    await signUp(a, "alice");
    await signUp(b, "bob");
    await signUp(c, "carol");
    for (const [from, to] of [
      [a, "bob"],
      [a, "carol"],
    ] as const) {
      await from.fill('input[name="friend-name"]', to);
      await from.click('button[name="add-friend"]');
    }
    await until(b, (s) => s.incoming.length === 1);
    await b.click('[data-incoming="alice"] button[name="accept"]');
    await until(c, (s) => s.incoming.length === 1);
    await snap(c, "friend-request");
    await c.click('[data-incoming="alice"] button[name="accept"]');
    await until(a, (s) => s.friends.length === 2);
    await snap(a, "servers");

    for (const page of [a, b, c]) {
      await page.click('[data-server="eu-1"]');
      await until(page, (s) => s.scene === "lobby" && s.channel === 1);
    }
    await b.click('button[name="create-room"]');
    await b.fill('input[name="title"]', "Friday night co-op");
    await b.selectOption('select[name="mode"]', "co_op");
    await b.click('button[name="confirm"]');
    await until(b, (s) => s.scene === "room");
    for (const [page, text] of [
      [a, "anyone up for a round?"],
      [c, "@alice yes! give me a minute"],
      [a, "bob made a room, join us"],
    ] as const) {
      await page.fill('input[name="channel-chat"]', text);
      await page.press('input[name="channel-chat"]', "Enter");
    }
    await until(a, (s) => s.rooms.length === 1 && s.friends.some((f: any) => f.location?.roomId));
    await snap(a, "lobby");

    await a.click('[data-room="Friday night co-op"]');
    await until(a, (s) => s.scene === "room");
    await a.fill('input[name="room-chat"]', "ready when you are");
    await a.press('input[name="room-chat"]', "Enter");
    await snap(b, "room");
    // alice invites carol into bob's room? Only friends can be invited: alice is carol's friend.
    await a.selectOption('select[name="invite-friend"]', { label: "carol" });
    await a.click('button[name="invite"]');
    await until(c, (s) => s.invite !== null);
    await snap(c, "invite");
    await c.click('button[name="decline-invite"]');
    await a.click('button[name="ready"]');
    await until(b, (s) => s.room.members.every((m: any) => m.host || m.ready));
    await snap(b, "room-ready");
    await b.click('button[name="start"]');
    await until(a, (s) => s.scene === "game");
    await a.waitForTimeout(1200);
    await snap(a, "countdown");
    await a.waitForTimeout(2500);
    await a.bringToFront();
    await a.keyboard.down("ArrowRight");
    await a.keyboard.down("ArrowUp");
    await a.waitForTimeout(700);
    await a.keyboard.up("ArrowUp");
    await a.keyboard.up("ArrowRight");
    await b.bringToFront();
    await b.keyboard.down("ArrowLeft");
    await b.waitForTimeout(500);
    await b.keyboard.up("ArrowLeft");
    await snap(b, "game");
    await b.context().setOffline(true);
    await b.evaluate(() => (window as any).__rally.dropTransport());
    await until(b, (s) => s.connection === "reconnecting");
    await snap(b, "reconnecting");
    await b.context().setOffline(false);
    console.log("done");
  } finally {
    await browser.close();
    await app.close();
  }
}

void main().catch((error) => {
  console.error(error);
  process.exit(1);
});
