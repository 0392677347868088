import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "../support/browser.js";
import { startServer, type TestServer } from "../support/server.js";
import { openPlayer, shot, signUp, state, TEST_CLIENT_DIR, until } from "./helpers.js";

// The five player scenarios of the game client, in one real browser against one real server.
// They run in order: each starts where the previous one left the players.
let server: TestServer;
let browser: Browser;
let a: Page;
let b: Page;

beforeAll(async () => {
  server = await startServer({
    clientDir: TEST_CLIENT_DIR,
    presenceGraceMs: 300,
    seatGraceMs: 15_000,
    inviteTimeoutMs: 20_000,
  });
  browser = await launchBrowser();
  a = await openPlayer(browser, server.url);
  b = await openPlayer(browser, server.url);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe.sequential("game client", { timeout: 120_000 }, () => {
  it("1. two players become friends through the UI, and A sees B come online", async () => {
    await signUp(a, "alice");
    await signUp(b, "bob");
    await shot(a, "servers");
    await a.fill('input[name="friend-name"]', "bob");
    await a.click('button[name="add-friend"]');
    await until(b, (s) => s.incoming.some((r: any) => r.user.name === "alice"));
    await shot(b, "friend-request");
    await b.click('[data-incoming="alice"] button[name="accept"]');
    await until(a, (s) => s.friends.some((f: any) => f.name === "bob"));

    // B signs out, then signs in again: A gets the friend-online toast.
    await b.click('button:has-text("Sign out")');
    await until(a, (s) => s.friends.some((f: any) => f.name === "bob" && f.status === "offline"));
    await signUp(b, "bob", "signin");
    const seen = await until(a, (s) => s.toasts.some((t: any) => t.text === "bob is online"));
    expect(seen.friends.find((f: any) => f.name === "bob").status).toBe("online");
    await shot(a, "friend-online-toast");
  });

  it("5. channel chat reaches the other player and not a player on another server", async () => {
    const c = await openPlayer(browser, server.url);
    await signUp(c, "carol");
    await c.click('[data-server="na-1"]');
    await until(c, (s) => s.scene === "lobby" && s.channel === 1);
    for (const page of [a, b]) {
      await page.click('[data-server="eu-1"]');
      await until(page, (s) => s.scene === "lobby" && s.channel === 1);
    }
    await a.fill('input[name="channel-chat"]', "hello channel");
    await a.press('input[name="channel-chat"]', "Enter");
    await until(b, (s) =>
      s.channelChat.some((m: any) => m.text === "hello channel" && m.from.name === "alice"),
    );
    await shot(b, "channel-chat");
    await c.waitForTimeout(500);
    expect((await state(c)).channelChat.some((m: any) => m.text === "hello channel")).toBe(false);
    await c.context().close();
  });

  it("2. A creates a private room, invites B, both ready up, A starts, both see the game", async () => {
    await a.click('button[name="create-room"]');
    await a.fill('input[name="title"]', "Private match");
    await a.selectOption('select[name="visibility"]', "private");
    await a.fill('input[name="password"]', "sesame");
    await a.click('button[name="confirm"]');
    await until(a, (s) => s.scene === "room" && s.room.title === "Private match");
    await until(b, (s) =>
      s.rooms.some((r: any) => r.title === "Private match" && r.visibility === "private"),
    );
    await shot(b, "lobby-with-private-room");

    await a.selectOption('select[name="invite-friend"]', { label: "bob" });
    await a.click('button[name="invite"]');
    await until(b, (s) => s.invite !== null);
    await shot(b, "invite-modal");
    await b.click('button[name="accept-invite"]');
    await until(b, (s) => s.scene === "room" && s.room.members.length === 2);
    await until(a, (s) => s.room.members.length === 2);

    await b.click('button[name="ready"]');
    await until(a, (s) => s.room.members.every((m: any) => m.host || m.ready));
    await shot(a, "room-ready");
    await a.click('button[name="start"]');
    for (const page of [a, b]) {
      const s = await until(page, (s) => s.scene === "game");
      expect(s.roster.map((p: any) => p.name).sort()).toEqual(["alice", "bob"]);
    }
    await shot(b, "game-started");
  });

  it("3. an admin posts a notice and both players see the banner", async () => {
    const { token } = await server.admin("admin_one");
    const res = await server.http("POST", "/api/admin/notices", {
      token,
      body: { text: "Double XP this weekend!", severity: "warning", scope: { kind: "all" } },
    });
    expect(res.status).toBe(201);
    for (const page of [a, b]) {
      await until(page, (s) => s.notices.some((n: any) => n.text === "Double XP this weekend!"));
      expect(await page.isVisible('.banner.warning:has-text("Double XP this weekend!")')).toBe(true);
    }
    await shot(a, "notice-banner");
    await a.click(`[data-notice="${res.body.id}"] button[name="dismiss"]`);
    await until(a, (s) => s.notices.length === 0);
  });

  it("4. A's network drops and returns within the grace period: still in the room, B saw A reconnecting", async () => {
    await a.click('button[name="end-game"]');
    await until(a, (s) => s.scene === "room");
    await until(b, (s) => s.scene === "room");

    await a.context().setOffline(true);
    try {
      await a.evaluate(() => (window as any).__rally.dropTransport());
      // The offline page may swallow the close frame: the server's heartbeat then notices within
      // 15 s (10 s ping interval + 5 s timeout).
      await until(b, (s) => s.room.members.some((m: any) => m.name === "alice" && m.reconnecting), 20_000);
      await until(a, (s) => s.connection === "reconnecting");
      await shot(b, "peer-reconnecting");
      await shot(a, "reconnecting-overlay");
    } finally {
      await a.context().setOffline(false);
    }
    await until(a, (s) => s.connection === "online" && s.scene === "room", 20_000);
    await until(b, (s) => s.room.members.some((m: any) => m.name === "alice" && !m.reconnecting), 20_000);
    const back = await state(a);
    expect(back.room.members.map((m: any) => m.name).sort()).toEqual(["alice", "bob"]);
    await shot(a, "back-in-room");
  }, 90_000);
});
