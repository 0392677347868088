// Client loading benchmark: how long a first-time player waits over a slow link (1.6 Mbit/s,
// 150 ms latency, emulated by Chromium) until the loading screen shows and until the sign-in form
// can be used, and how many bytes cross the wire. Numbers only, no asserts.
//   npm run build && npx tsx tests/bench/client-load.ts [--runs 3]
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { buildApp } from "../../apps/server/src/app.js";
import { loadConfig } from "../../apps/server/src/config.js";
import { migrate } from "../../apps/server/src/db.js";
import { launchBrowser } from "../support/browser.js";

const runsArg = process.argv.indexOf("--runs");
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 3;
const CLIENT_DIR = path.resolve("apps/game-client/dist");
const LINK = { latency: 150, downloadThroughput: 1_600_000 / 8, uploadThroughput: 1_600_000 / 8 };

async function main() {
  if (!fs.existsSync(path.join(CLIENT_DIR, "index.html"))) throw new Error("run `npm run build` first");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rally-client-bench-"));
  const databaseUrl = `file:${path.join(dir, "bench.db")}`;
  await migrate(databaseUrl);
  const config = loadConfig({
    DATABASE_URL: databaseUrl,
    SESSION_SECRET: crypto.randomBytes(32).toString("hex"),
    LOG_LEVEL: "silent",
    CLIENT_DIR,
  });
  const app = await buildApp({ ...config, host: "127.0.0.1", port: 0 });
  const url = await app.listen({ host: "127.0.0.1", port: 0 });
  const browser = await launchBrowser();
  const results: { loading: number; signIn: number; bytes: number; requests: number }[] = [];
  try {
    for (let run = 0; run < RUNS; run++) {
      // A fresh context each run: an empty cache, as for a first visit.
      const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send("Network.enable");
      await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
      await cdp.send("Network.emulateNetworkConditions", { offline: false, ...LINK });
      let bytes = 0;
      let requests = 0;
      cdp.on("Network.loadingFinished", (event: { encodedDataLength: number }) => {
        bytes += event.encodedDataLength;
        requests++;
      });
      const start = Date.now();
      await page.goto(url, { waitUntil: "commit" });
      await page.waitForSelector("#loading .logo", { state: "visible" });
      const loading = Date.now() - start;
      await page.waitForSelector('input[name="username"]:visible');
      await page.waitForSelector("#loading.done", { state: "attached" });
      const signIn = Date.now() - start;
      await page.waitForTimeout(300);
      results.push({ loading, signIn, bytes, requests });
      console.log(
        `run ${run + 1}: loading screen ${loading} ms, sign-in usable ${signIn} ms, ${(bytes / 1024).toFixed(0)} KB in ${requests} requests`,
      );
      await context.close();
    }
  } finally {
    await browser.close();
    await app.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const median = (key: "loading" | "signIn" | "bytes") =>
    results.map((r) => r[key]).sort((a, b) => a - b)[Math.floor(results.length / 2)]!;
  console.log(
    `median over ${RUNS} runs (1.6 Mbit/s, 150 ms): loading screen ${median("loading")} ms, ` +
      `sign-in usable ${median("signIn")} ms, ${(median("bytes") / 1024).toFixed(0)} KB transferred`,
  );
}

void main().catch((error) => {
  console.error(error);
  process.exit(1);
});
