// npm run bench [-- --quick] [--json FILE] [--scale [--sizes 250,500]] [--profile [--phase storm|wave|fanout|alert|churn] [--queries]]
//   [--n N] [--repeats R] [--workers W] [--redis redis://127.0.0.1:6379 (Rally's stores in Redis)]
// Rally and a bare Socket.IO baseline, side by side in one run, interleaved, each server in its own
// process and the clients in worker processes. Prints one table of ratios (Rally ÷ bare).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { migrate } from "../../apps/server/src/db.js";
import { summarizeProfile } from "./profile.js";
import { startServer, startWorkers, type System } from "./processes.js";
import { printTable, rowsOf, type Run } from "./report.js";
import { type Plan, runScenarios } from "./scenarios.js";

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(`--${name}`);
const option = (name: string) => {
  const at = argv.indexOf(`--${name}`);
  return at >= 0 ? argv[at + 1] : undefined;
};
const quick = flag("quick");
const repeats = Number(option("repeats") ?? (quick || flag("scale") ? 2 : 3));
const workerCount = Number(option("workers") ?? 2);

function plan(n: number, stormOnly: boolean): Plan {
  return {
    n,
    alerters: quick ? 8 : 20,
    friends: Math.min(100, n),
    racers: 200,
    churners: Math.min(n, quick ? 120 : 240),
    churnMs: quick ? 2_000 : 5_000,
    senders: Math.min(Math.ceil(n / 2), 100),
    stormOnly,
  };
}

async function runOnce(system: System, templateDb: string, p: Plan) {
  const workers = await startWorkers(workerCount);
  const server = await startServer(system, templateDb, option("redis") ?? null);
  try {
    return await runScenarios(server, workers, p);
  } finally {
    await workers.broadcast("close").catch(() => {});
    workers.stop();
    await server.stop();
  }
}

async function compare(templateDb: string, p: Plan): Promise<Run[]> {
  const runs: Run[] = [];
  for (let r = 0; r < repeats; r++) {
    // Interleaved, and the order alternates so neither system always runs on a warmer machine.
    const order: System[] = r % 2 === 0 ? ["rally", "baseline"] : ["baseline", "rally"];
    const run = { n: p.n } as Run;
    for (const system of order) {
      const began = Date.now();
      run[system] = await runOnce(system, templateDb, p);
      process.stderr.write(
        `  repeat ${r + 1}/${repeats}, N=${p.n}: ${system} (${((Date.now() - began) / 1000).toFixed(0)} s)\n`,
      );
    }
    runs.push(run);
  }
  return runs;
}

async function profile(templateDb: string): Promise<void> {
  if (flag("queries")) process.env.BENCH_SERVER_IMPORT = path.join(import.meta.dirname, "count-queries.mjs");
  const n = Number(option("n") ?? 1000);
  const phase = (option("phase") ?? "storm") as Plan["profilePhase"];
  process.stderr.write(`profiling Rally through the ${phase} phase with ${n} players…\n`);
  fs.mkdirSync("test-artifacts", { recursive: true });
  const target = path.resolve(`test-artifacts/bench-${phase}.cpuprofile`);
  const profiled = { ...plan(n, phase === "storm"), profileFile: target, profilePhase: phase };
  const measured = await runOnce("rally", templateDb, profiled);
  console.log(
    `connects/s ${measured["connects/s"]!.toFixed(0)}, CPU ${measured["CPU ms per connect"]!.toFixed(2)} ms per connect`,
  );
  console.log(summarizeProfile(target));
  console.log(`profile: ${target} (open in Chrome DevTools, Performance tab)`);
}

async function main(): Promise<void> {
  const started = Date.now();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rally-bench-template-"));
  const templateDb = path.join(dir, "template.db");
  await migrate(`file:${templateDb}`);
  try {
    if (flag("profile")) return await profile(templateDb);
    const scale = option("sizes")?.split(",").map(Number) ?? [250, 500, 1000, 2000];
    const sizes = flag("scale") ? scale : [Number(option("n") ?? (quick ? 250 : 1000))];
    const runs: Run[] = [];
    for (const n of sizes) runs.push(...(await compare(templateDb, plan(n, flag("scale")))));
    const rows = rowsOf(runs);
    printTable(rows);
    const json = option("json");
    if (json)
      fs.writeFileSync(
        json,
        `${JSON.stringify(
          rows.map(({ spread, goal, met, ...row }) => row),
          null,
          2,
        )}\n`,
      );
    console.log(
      `\n${repeats} interleaved repeat(s), Rally's live state in ${option("redis") ? "Redis" : "memory"}, ${workerCount} client workers, ${os.cpus().length} cores, ${((Date.now() - started) / 1000).toFixed(0)} s`,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
