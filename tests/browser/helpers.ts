import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { artifactPath } from "../support/browser.js";
import { PASSWORD } from "../support/server.js";

export const TEST_CLIENT_DIR = path.resolve("apps/game-client/dist-test");

export type ClientSnapshot = Record<string, any>;

export async function openPlayer(
  browser: Browser,
  url: string,
  viewport = { width: 1280, height: 720 },
): Promise<Page> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  await page.goto(url);
  await until(page, (s) => s.scene === "login", 20_000);
  return page;
}

export function state(page: Page): Promise<ClientSnapshot> {
  return page.evaluate(() => (window as any).__rally.state());
}

/**
 * Polls the client's state from the test until `predicate` holds. Polling from Node keeps the
 * page's strict CSP (no eval) intact, which Playwright's string predicates would need.
 */
export async function until(
  page: Page,
  predicate: (s: ClientSnapshot) => unknown,
  timeout = 10_000,
): Promise<ClientSnapshot> {
  const deadline = Date.now() + timeout;
  let last: ClientSnapshot | null = null;
  while (Date.now() < deadline) {
    last = await state(page).catch(() => null);
    if (last && predicate(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(
    `state never matched ${predicate.toString()}; last: ${JSON.stringify(
      last && {
        scene: last.scene,
        connection: last.connection,
        me: last.me?.name,
        room: last.room && { title: last.room.title, state: last.room.state, members: last.room.members },
        toasts: last.toasts,
      },
    )}`,
  );
}

export async function signUp(
  page: Page,
  name: string,
  action: "register" | "signin" = "register",
): Promise<void> {
  await page.fill('input[name="username"]', name);
  await page.fill('input[name="password"]', PASSWORD);
  await page.click(`button[name="${action}"]`);
  await until(page, (s) => s.me !== null && s.scene !== "login");
}

let step = 0;
export async function shot(page: Page, name: string): Promise<void> {
  step++;
  await page.screenshot({ path: artifactPath(`${String(step).padStart(2, "0")}-${name}`) });
}

/** Waits for a toast whose text contains `text` (toasts stay in the state for a few seconds). */
export function toastSeen(page: Page, text: string, timeout = 10_000): Promise<ClientSnapshot> {
  return until(page, (s) => s.toasts.some((t: any) => t.text.includes(text)), timeout);
}

/** Asserts for `ms` that the state never matches `predicate` ("X must not happen"). */
export async function never(page: Page, predicate: (s: ClientSnapshot) => unknown, ms = 800): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const s = await state(page);
    if (predicate(s)) throw new Error(`must not happen: ${predicate.toString()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function signIn(page: Page, name: string): Promise<void> {
  await signUp(page, name, "signin");
}

/** Enters a game server from the server list and waits for its lobby. */
export async function enterServer(page: Page, slug = "eu-1"): Promise<void> {
  await page.click(`[data-server="${slug}"]`);
  await until(page, (s) => s.scene === "lobby" && s.channel !== null);
}
