import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { artifactPath } from "../support/browser.js";
import { PASSWORD } from "../support/server.js";

export const TEST_CLIENT_DIR = path.resolve("apps/game-client/dist-test");

export type ClientSnapshot = Record<string, any>;

export async function openPlayer(browser: Browser, url: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
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
    `state never matched ${predicate.toString()}; last: ${JSON.stringify(last)?.slice(0, 800)}`,
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
