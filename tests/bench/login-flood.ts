// Login flood benchmark: attackers from many addresses try unknown usernames as fast as they can
// while one honest player signs in every second. Reports the honest login's latency and what the
// attackers got; asserts nothing. Runs the real entry point so that it works on any revision.
//   npx tsx tests/bench/login-flood.ts --attackers 40 --seconds 8
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2)
  args.set(process.argv[i]!.replace(/^--/, ""), process.argv[i + 1] ?? "");
const ATTACKERS = Number(args.get("attackers") ?? 40);
const SECONDS = Number(args.get("seconds") ?? 8);
const PASSWORD = "correct-horse-battery";

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

function start(): Promise<{ child: ChildProcess; url: string }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "rally-flood-"));
  const child = spawn(process.execPath, ["--import", "tsx", "apps/server/src/main.ts"], {
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: "0",
      HOST: "127.0.0.1",
      CLIENT_DIR: "",
      LOG_LEVEL: "info",
      // Every attacker has its own address (X-Forwarded-For), as a botnet would.
      TRUST_PROXY: "true",
      // The honest player signs in more often than a person would; its own budget must not bite.
      LOGIN_RATE_LIMIT: "1000",
    },
    stdio: "pipe",
  });
  return new Promise((resolve, reject) => {
    let output = "";
    child.stdout!.on("data", (chunk) => {
      output += chunk;
      const match = /listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) resolve({ child, url: match[1]! });
    });
    child.on("exit", (code) => reject(new Error(`server exited ${code}: ${output}`)));
  });
}

async function post(url: string, body: unknown, ip: string): Promise<number> {
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-for": ip },
      body: JSON.stringify(body),
    });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

async function main(): Promise<void> {
  const { child, url } = await start();
  try {
    await post(`${url}/api/auth/register`, { username: "honest", password: PASSWORD }, "10.9.9.9");
    const quiet: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      await post(`${url}/api/auth/login`, { username: "honest", password: PASSWORD }, "10.9.9.9");
      quiet.push(performance.now() - t);
    }
    const until = Date.now() + SECONDS * 1000;
    const attackerStatuses = new Map<number, number>();
    const attacker = async (n: number) => {
      for (let i = 0; Date.now() < until; i++) {
        const status = await post(
          `${url}/api/auth/login`,
          { username: `ghost_${n}_${i}`, password: "whatever-password" },
          `10.1.${n >> 8}.${n & 255}`,
        );
        attackerStatuses.set(status, (attackerStatuses.get(status) ?? 0) + 1);
      }
    };
    const honest: number[] = [];
    const honestStatuses = new Map<number, number>();
    const player = async () => {
      while (Date.now() < until) {
        const t = performance.now();
        const status = await post(
          `${url}/api/auth/login`,
          { username: "honest", password: PASSWORD },
          "10.9.9.9",
        );
        honest.push(performance.now() - t);
        honestStatuses.set(status, (honestStatuses.get(status) ?? 0) + 1);
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    };
    await Promise.all([player(), ...Array.from({ length: ATTACKERS }, (_, n) => attacker(n))]);
    const fmt = (v: number[]) =>
      `n=${v.length} p50=${percentile(v, 50).toFixed(0)}ms p95=${percentile(v, 95).toFixed(0)}ms max=${Math.max(...v).toFixed(0)}ms`;
    console.log(`honest login, quiet          ${fmt(quiet)}`);
    console.log(
      `honest login, under flood    ${fmt(honest)} statuses=${JSON.stringify([...honestStatuses])}`,
    );
    const total = [...attackerStatuses.values()].reduce((a, b) => a + b, 0);
    console.log(
      `attackers (${ATTACKERS}) ${total} attempts in ${SECONDS}s, statuses=${JSON.stringify([...attackerStatuses])}`,
    );
  } finally {
    child.kill("SIGKILL");
  }
}

await main();
