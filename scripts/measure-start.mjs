// `npm run bench:start`: start time (spawn to "listening") and resident memory after start of the
// compiled server (plain node) against the TypeScript sources run through tsx. Numbers, no asserts.
// Needs `npm run build:server` first. Each mode starts RUNS times on an already-migrated database.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const RUNS = Number(process.env.RUNS ?? 5);
const SETTLE_MS = 2_000;
const MODES = {
  compiled: ["--conditions=rally-dist", "apps/server/dist/main.js"],
  tsx: ["--import", "tsx", "apps/server/src/main.ts"],
};

function rssMb(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)[1]) / 1024;
}

function startOnce(args, dataDir) {
  return new Promise((resolve, reject) => {
    const began = performance.now();
    const child = spawn(process.execPath, args, {
      env: {
        ...process.env,
        DATA_DIR: dataDir,
        PORT: "0",
        HOST: "127.0.0.1",
        LOG_LEVEL: "info",
        CLIENT_DIR: "",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
      if (!/listening at/.test(output) || child.startMs) return;
      child.startMs = performance.now() - began;
      setTimeout(() => {
        const rss = rssMb(child.pid);
        child.kill("SIGTERM");
        child.once("exit", () => resolve({ startMs: child.startMs, rss }));
      }, SETTLE_MS);
    });
    child.stderr.on("data", (chunk) => {
      output += chunk;
    });
    child.on("exit", (code) => {
      if (!child.startMs) reject(new Error(`exited with ${code}:\n${output}`));
    });
  });
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "rally-start-"));
await startOnce(MODES.compiled, dataDir); // migrates the database once, outside the measurement
console.log(`${RUNS} starts per mode, median (min–max); node ${process.version}, ${os.cpus().length} cores`);
for (const [mode, args] of Object.entries(MODES)) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await startOnce(args, dataDir));
  const starts = runs.map((r) => r.startMs);
  const rss = runs.map((r) => r.rss);
  console.log(
    `${mode.padEnd(9)} start ${median(starts).toFixed(0)} ms (${Math.min(...starts).toFixed(0)}–${Math.max(...starts).toFixed(0)})` +
      `  RSS ${median(rss).toFixed(1)} MB (${Math.min(...rss).toFixed(1)}–${Math.max(...rss).toFixed(1)})`,
  );
}
fs.rmSync(dataDir, { recursive: true, force: true });
