// The scenarios of issue 11's goals table, run against one server under test. Every function
// returns plain measurements; the orchestrator pairs them with the other system's.
import type { ServerUnderTest, Workers } from "./processes.js";
import { BENCH_SERVER, STORM_CHANNELS } from "./scenario-config.js";

export type Measurements = Record<string, number>;
const SLUG = BENCH_SERVER.slug;
/** Time for coalesced updates (at most one a second) to arrive before messages are counted. */
const SETTLE_MS = 1_500;
/** Then this much more before heap is read: twice the longest cache lifetime (1 s) of either server. */
const STEADY_MS = 2_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);

interface Phase<R> {
  started: number;
  finished: number;
  results: R[];
  failures: string[];
}
function merge<R>(parts: Phase<R>[]): Phase<R> {
  return {
    started: Math.min(...parts.map((p) => p.started)),
    finished: Math.max(...parts.map((p) => p.finished)),
    results: parts.flatMap((p) => p.results),
    failures: parts.flatMap((p) => p.failures),
  };
}

export interface Plan {
  n: number;
  alerters: number;
  friends: number;
  racers: number;
  churners: number;
  churnMs: number;
  senders: number;
  /** Only the connect storm (profile and scale runs). */
  stormOnly: boolean;
  /** Write a CPU profile of the server during one phase (the connect storm by default) here. */
  profileFile?: string;
  profilePhase?: "storm" | "wave" | "fanout" | "alert" | "churn";
}

/** Players who connect before the storm (see "Warm-up" below). */
const WARM_UP = 50;

/**
 * Player indices: the storm, then alerters, then the race host and racers, then a second storm,
 * then the warm-up players.
 */
export function layout(plan: Plan) {
  const alerters = plan.n;
  const host = alerters + plan.alerters;
  const racers = host + 1;
  const secondStorm = racers + plan.racers;
  const warmUp = plan.stormOnly ? plan.n : secondStorm + plan.n;
  return { alerters, host, racers, secondStorm, warmUp, users: warmUp + WARM_UP };
}

const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);

async function messagesPerClient(workers: Workers): Promise<number[]> {
  await sleep(SETTLE_MS);
  return (await workers.broadcast<number[]>("messages")).flat();
}

export async function runScenarios(server: ServerUnderTest, workers: Workers, plan: Plan) {
  const at = layout(plan);
  const friendships = plan.stormOnly
    ? []
    : range(at.alerters, plan.alerters).flatMap((a) => range(0, plan.friends).map((f) => [a, f]));
  const tokens: string[] = await server.call("prepare", { users: at.users, friendships });
  const m: Measurements = {};
  const spec = (index: number, channel: number | null) => ({ index, token: tokens[index]!, channel });

  // Warm-up: a few players connect first and stay. Heap per player is then the storm's own cost:
  // code compiled on first use, caches and what setting up left behind are in the baseline
  // already, and do not count as the first storm's players' memory.
  await workers.each(
    "connect",
    range(at.warmUp, WARM_UP).map((i) => spec(i, (i % STORM_CHANNELS) + 1)),
    {
      url: server.url,
      slug: SLUG,
      announce: true,
    },
  );
  await messagesPerClient(workers);

  // Connect storm: everyone opens `/` and the game server and joins a channel, all at once.
  const before = await server.call("stats", { gc: true });
  const profiling = (phase: Plan["profilePhase"]) =>
    plan.profileFile !== undefined && (plan.profilePhase ?? "storm") === phase;
  const profileStart = async (phase: Plan["profilePhase"]) => {
    if (profiling(phase)) await server.call("profileStart");
  };
  const profileStop = async (phase: Plan["profilePhase"]) => {
    if (profiling(phase)) await server.call("profileStop", { file: plan.profileFile });
  };
  await profileStart("storm");
  const storm = merge(
    await workers.each<any, Phase<{ handshakeMs: number; totalMs: number }>>(
      "connect",
      range(0, plan.n).map((i) => spec(i, (i % STORM_CHANNELS) + 1)),
      { url: server.url, slug: SLUG, announce: true },
    ),
  );
  const afterStorm = await server.call("stats", { gc: false });
  await profileStop("storm");
  const stormMessages = await messagesPerClient(workers);
  // Heap is read once the 1 s caches (sessions, profiles, friend lists) and coalescing windows of
  // the storm have expired: what stays is what a connected player costs.
  await sleep(STEADY_MS);
  const settled = await server.call("stats", { gc: true });
  const connected = storm.results.length;
  m["connects/s"] = connected / ((storm.finished - storm.started) / 1000);
  m["CPU ms per connect"] = (afterStorm.cpuMs - before.cpuMs) / Math.max(1, connected);
  m["handshake p50 ms"] = percentile(
    storm.results.map((r) => r.handshakeMs),
    50,
  );
  m["connect+join p50 ms"] = percentile(
    storm.results.map((r) => r.totalMs),
    50,
  );
  m["failed connects"] = storm.failures.length;
  m["heap per player KB"] = (settled.heapUsed - before.heapUsed) / Math.max(1, connected) / 1024;
  m["messages per client (mean)"] = mean(stormMessages);
  m["messages per client (max)"] = Math.max(...stormMessages);
  if (storm.failures.length)
    console.error(`  ${storm.failures.length} connects failed: ${storm.failures[0]}`);
  if (plan.stormOnly) return m;

  // Join wave: everyone moves at once, gathering into two big channels.
  await server.call("resetLoop");
  const waveCpu = (await server.call("stats", { gc: false })).cpuMs;
  await profileStart("wave");
  const wave = merge(
    await workers.each<any, Phase<number>>(
      "join",
      range(0, plan.n).map((index) => ({ index, channel: (index % 2) + 1 })),
    ),
  );
  const afterWave = await server.call("stats", { gc: false });
  await profileStop("wave");
  m["join wave s"] = (wave.finished - wave.started) / 1000;
  m["join wave stall ms"] = afterWave.loopMaxMs;
  m["CPU ms per join"] = (afterWave.cpuMs - waveCpu) / Math.max(1, wave.results.length);
  m["join wave messages per client"] = mean(await messagesPerClient(workers));

  // Chat fan-out in channel 1 (every other player): a burst of messages from its members.
  const members = Math.ceil(plan.n / 2);
  await workers.broadcast("deliveries");
  const senders = range(0, plan.senders).map((i) => i * 2);
  await profileStart("fanout");
  const chat = merge(await workers.each<number, Phase<unknown>>("chat", senders));
  const expected = chat.results.length * (members - 1);
  let latencies: number[] = [];
  for (let waited = 0; latencies.length < expected && waited < 20_000; waited += 100) {
    await sleep(100);
    latencies = latencies.concat((await workers.broadcast<number[]>("deliveries")).flat());
  }
  await profileStop("fanout");
  const lastDelivery = chat.started + Math.max(...latencies);
  m["fan-out deliveries/s"] = latencies.length / ((lastDelivery - chat.started) / 1000);
  m["fan-out p95 ms"] = percentile(latencies, 95);
  m["fan-out channel size"] = members;

  // Login alert: players with `friends` online friends come online one after another.
  await workers.broadcast("alerts");
  await profileStart("alert");
  const alertLatencies: number[] = [];
  for (const index of range(at.alerters, plan.alerters)) {
    const sentAt: number = await workers
      .of(index)
      .call("announce", { url: server.url, index, token: tokens[index] });
    await sleep(150);
    const seen = (await workers.broadcast<{ name: string; at: number }[]>("alerts")).flat();
    for (const alert of seen) if (alert.name === `bot${index}`) alertLatencies.push(alert.at - sentAt);
  }
  await profileStop("alert");
  m["login alert p50 ms"] = percentile(alertLatencies, 50);
  m["login alert p95 ms"] = percentile(alertLatencies, 95);
  m["login alert p99 ms"] = percentile(alertLatencies, 99);
  m["login alerts delivered"] = alertLatencies.length / Math.max(1, plan.alerters * plan.friends);

  // Room churn: rooms of four, the host stays, three players join, ready and leave in a loop.
  const hosts = range(0, plan.churners).filter((i) => i % 4 === 0);
  const roomIds = await Promise.all(
    hosts.map((index) => workers.of(index).call<string>("createRoom", { index, maxPlayers: 8 })),
  );
  const seats = range(0, plan.churners)
    .filter((i) => i % 4 !== 0)
    .map((index) => ({ index, roomId: roomIds[Math.floor(index / 4)]! }));
  await profileStart("churn");
  const churn = merge(await workers.each<any, Phase<number[]>>("churn", seats, { durationMs: plan.churnMs }));
  await profileStop("churn");
  const churnLatencies = churn.results.flat();
  m["room churn ops/s"] = churnLatencies.length / ((churn.finished - churn.started) / 1000);
  m["room churn p99 ms"] = percentile(churnLatencies, 99);

  // Seat race: racers go for the 3 free seats of a 4-seat room while a second storm connects.
  const gameOnly = (index: number) => spec(index, null);
  merge(
    await workers.each<any, Phase<unknown>>(
      "connect",
      [at.host, ...range(at.racers, plan.racers)].map(gameOnly),
      { url: server.url, slug: SLUG },
    ),
  );
  const roomId = await workers.of(at.host).call<string>("createRoom", { index: at.host, maxPlayers: 4 });
  const [race] = await Promise.all([
    workers.each<number, Phase<unknown>>("race", range(at.racers, plan.racers), { roomId }),
    workers.each(
      "connect",
      range(at.secondStorm, plan.n).map((i) => spec(i, (i % STORM_CHANNELS) + 1)),
      {
        url: server.url,
        slug: SLUG,
        announce: true,
      },
    ),
  ]);
  m["seat race winners"] = merge(race).results.length;
  return m;
}
