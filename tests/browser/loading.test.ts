import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "../support/browser.js";
import { connect, ok, waitFor } from "../support/client.js";
import { startServer, type TestServer } from "../support/server.js";
import { enterServer, openPlayer, shot, signUp, TEST_CLIENT_DIR, until } from "./helpers.js";

// How the client arrives (bytes, caching, loading screen), how it looks at three window sizes,
// and a game played through a LAN host name over plain HTTP.
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

/** What a player must be able to read: the smallest font size of any visible text in the page. */
function smallestText(page: Page): Promise<{ size: number; text: string }> {
  return page.evaluate(() => {
    let smallest = { size: Infinity, text: "" };
    for (const el of document.querySelectorAll<HTMLElement>("#ui *, #modals *")) {
      const own = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent?.trim());
      if (!own || el.tagName === "OPTION" || el.getClientRects().length === 0) continue;
      const size = Number.parseFloat(getComputedStyle(el).fontSize);
      if (size < smallest.size) smallest = { size, text: el.textContent?.slice(0, 40) ?? "" };
    }
    return smallest;
  });
}

describe.sequential("loading, sizes and LAN play", { timeout: 60_000 }, () => {
  it("15. assets are compressed and cached for good, index.html is revalidated, Phaser is its own chunk", async () => {
    const index = await fetch(server.url, { headers: { "accept-encoding": "br, gzip" } });
    expect(index.headers.get("cache-control")).toBe("no-cache");
    const html = await index.text();
    const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]!);
    expect(assets.some((a) => /\/assets\/phaser-[\w-]+\.js$/.test(a))).toBe(true);
    for (const asset of assets) {
      const res = await fetch(server.url + asset, { headers: { "accept-encoding": "br, gzip" } });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-encoding")).toBe("br");
      expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
      const sent = Number(res.headers.get("content-length"));
      const raw = (await res.arrayBuffer()).byteLength;
      expect(sent).toBeLessThan(raw / 2);
    }
    const gzip = await fetch(server.url + assets[0], { headers: { "accept-encoding": "gzip" } });
    expect(gzip.headers.get("content-encoding")).toBe("gzip");
  });

  it("15. a loading screen shows before the bundle runs; 6. no sign-in form before the session is known", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    const page = await context.newPage();
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route("**/assets/*.js", async (route) => {
      await held;
      await route.continue();
    });
    await page.goto(server.url, { waitUntil: "commit" });
    await page.waitForSelector("#loading:has-text('Loading the lobby')", { state: "visible" });
    expect(await page.evaluate(() => (window as any).__rally === undefined)).toBe(true);
    await shot(page, "loading-screen");
    release();
    await until(page, (s) => s.scene === "login", 20_000);
    await page.waitForSelector("#loading.done", { state: "attached" });
    await context.close();
  });

  it("8 + 14. at 800×600, 1280×720 and 1920×1080: fills the window, text of 12 px or more, notices above the titles, Nunito everywhere", async () => {
    const page = await openPlayer(browser, server.url, { width: 800, height: 600 });
    const fonts = await page.evaluate(() => ({
      loaded: [...document.fonts].some((f) => f.family.includes("Nunito") && f.status === "loaded"),
      check: document.fonts.check("800 16px Nunito"),
    }));
    expect(fonts).toEqual({ loaded: true, check: true });
    await signUp(page, "size_check");
    const { token } = await server.admin("size_admin");
    const notice = "Maintenance tonight at 23:00";
    await server.http("POST", "/api/admin/notices", {
      token,
      body: { text: notice, severity: "warning", scope: { kind: "all" } },
    });
    for (const screen of ["servers", "lobby"]) {
      if (screen === "lobby") await enterServer(page);
      for (const [width, height] of [
        [800, 600],
        [1280, 720],
        [1920, 1080],
      ] as const) {
        await page.setViewportSize({ width, height });
        await page.waitForSelector(`.banner:has-text("${notice}")`);
        await page.waitForSelector(".screen-head h1");
        await page.waitForFunction(
          ([w, h]) => {
            const canvas = document.querySelector("#game canvas")?.getBoundingClientRect();
            return canvas?.width === w && canvas?.height === h;
          },
          [width, height],
        );
        const smallest = await smallestText(page);
        expect(smallest.size, `"${smallest.text}" is ${smallest.size}px`).toBeGreaterThanOrEqual(12);
        const banner = (await page.locator(".banner").last().boundingBox())!;
        const title = (await page.locator(".screen-head h1").boundingBox())!;
        expect(banner.y + banner.height).toBeLessThanOrEqual(title.y);
        expect(await page.$eval(".screen-head h1", (el) => getComputedStyle(el).fontFamily)).toMatch(
          /^Nunito/,
        );
        await shot(page, `${screen}-${width}x${height}`);
      }
    }
    await page.context().close();
  });

  it("plays through a LAN host name over plain HTTP", async () => {
    const lan = await launchBrowser(["--host-resolver-rules=MAP lan-game.test 127.0.0.1"]);
    try {
      const host = await openPlayer(lan, `http://lan-game.test:${new URL(server.url).port}`);
      await signUp(host, "lan_host");
      await enterServer(host);
      await host.click('button[name="create-room"]');
      await host.fill('input[name="title"]', "LAN party");
      await host.click('button[name="confirm"]');
      const { roomId } = await until(host, (s) => s.room?.id).then((s) => ({ roomId: s.room.id }));
      // The second player is a plain Socket.IO client: the browser under test is the host's.
      const guestLogin = await server.register("lan_guest");
      const guest = await connect(server.url, guestLogin.token, "/servers/eu-1");
      await ok(guest, "room:join", { roomId });
      await ok(guest, "room:ready", { ready: true });
      await host.waitForSelector('button[name="start"]:not([disabled])');
      // The host's avatar announces its place when the arena opens: it crosses the LAN host too.
      const moved = waitFor(guest, "game:moved", 15_000);
      await host.click('button[name="start"]');
      const { me } = await until(host, (s) => s.scene === "game");
      expect(host.url()).toContain("lan-game.test");
      expect((await moved).userId).toBe(me.id);
      await shot(host, "lan-game");
      guest.close();
    } finally {
      await lan.close();
    }
  });
});
