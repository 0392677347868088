// Multi-node benchmark: three real nodes (child processes) on one Redis and one PostgreSQL.
// Reports numbers and asserts nothing.
//   npm run bench:cluster -- --senders 40 --messages 4 --connects 300
// 1. Delivery latency: a sender on node 1 posts channel chat; one listener on the same node and one
//    on node 2 receive the same message, so both paths are timed on identical traffic.
// 2. Connects per second: `/` connections (token check, session lookup, registry, presence) sent
//    all to node 1, then spread over the three nodes.
import type { LoginReply } from "@rally/protocol";
import { io, type Socket } from "socket.io-client";
import { type ClusterNode, startCluster } from "../support/cluster.js";

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2)
  args.set(process.argv[i]!.replace(/^--/, ""), process.argv[i + 1] ?? "");
const SENDERS = Number(args.get("senders") ?? 40);
const MESSAGES = Number(args.get("messages") ?? 4);
const CONNECTS = Number(args.get("connects") ?? 300);
const IN_FLIGHT = 50;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

function open(url: string, token: string): Promise<Socket> {
  const socket = io(url, { auth: { token }, transports: ["websocket"], reconnection: false, forceNew: true });
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", reject);
  });
}

async function ack(socket: Socket, event: string, payload: unknown): Promise<any> {
  const reply = await socket.timeout(10_000).emitWithAck(event, payload);
  if (!reply.ok) throw new Error(`${event}: ${reply.error.code}`);
  return reply.data;
}

async function registerMany(node: ClusterNode, count: number, prefix: string): Promise<LoginReply[]> {
  const logins: LoginReply[] = [];
  for (let i = 0; i < count; i += 10) {
    const batch = Array.from({ length: Math.min(10, count - i) }, (_, k) =>
      node.register(`${prefix}${i + k}_${Math.random().toString(36).slice(2, 6)}`),
    );
    logins.push(...(await Promise.all(batch)));
  }
  return logins;
}

async function latency(nodes: ClusterNode[]) {
  const [a, b] = nodes;
  const listeners = await registerMany(a!, 2, "l");
  const same = await open(`${a!.url}/servers/eu-1`, listeners[0]!.token);
  const cross = await open(`${b!.url}/servers/eu-1`, listeners[1]!.token);
  for (const s of [same, cross]) await ack(s, "channel:join", { channel: 1 });
  const sent = new Map<string, number>();
  const samples = { same: [] as number[], cross: [] as number[] };
  const track = (socket: Socket, into: number[]) =>
    socket.on("channel:message_posted", (m: { text: string }) => {
      const at = sent.get(m.text);
      if (at !== undefined) into.push(performance.now() - at);
    });
  track(same, samples.same);
  track(cross, samples.cross);
  const senders = await Promise.all(
    (await registerMany(a!, SENDERS, "s")).map((login) => open(`${a!.url}/servers/eu-1`, login.token)),
  );
  for (const s of senders) await ack(s, "channel:join", { channel: 1 });
  for (let round = 0; round < MESSAGES; round++) {
    for (const [i, sender] of senders.entries()) {
      const text = `m${round}-${i}`;
      sent.set(text, performance.now());
      await ack(sender, "channel:chat", { text });
    }
    // The chat limit is 5 messages per 5 s per player: rounds stay well under it.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
  }
  await new Promise((resolve) => setTimeout(resolve, 500));
  for (const s of [same, cross, ...senders]) s.close();
  return samples;
}

async function connectRate(targets: ClusterNode[], logins: LoginReply[]): Promise<number> {
  const sockets: Socket[] = [];
  const start = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < logins.length) {
        const i = next++;
        sockets.push(await open(targets[i % targets.length]!.url, logins[i]!.token));
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  for (const socket of sockets) socket.close();
  // Let the nodes finish the disconnects before the next measurement.
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  return logins.length / seconds;
}

async function main(): Promise<void> {
  const cluster = await startCluster({ nodes: 3, env: { LOG_LEVEL: "warn" } });
  try {
    const samples = await latency(cluster.nodes);
    const logins = await registerMany(cluster.nodes[0]!, CONNECTS, "c");
    // Alternated and repeated, best of each: the machine's other load varies between runs.
    let one = 0;
    let three = 0;
    for (let round = 0; round < 2; round++) {
      one = Math.max(one, await connectRate([cluster.nodes[0]!], logins));
      three = Math.max(three, await connectRate(cluster.nodes, logins));
    }
    const row = (label: string, values: number[]) =>
      `| ${label.padEnd(34)} | ${String(values.length).padStart(7)} | ${percentile(values, 50).toFixed(1).padStart(8)} | ${percentile(values, 99).toFixed(1).padStart(8)} |`;
    console.log("\n| chat delivery, sender on node 1     | samples | p50 (ms) | p99 (ms) |");
    console.log("| ---------------------------------- | ------- | -------- | -------- |");
    console.log(row("listener on the same node", samples.same));
    console.log(row("listener on another node (Redis)", samples.cross));
    const added = (p: number) => (percentile(samples.cross, p) - percentile(samples.same, p)).toFixed(1);
    console.log(`\nadded by crossing nodes: p50 +${added(50)} ms, p99 +${added(99)} ms`);
    console.log("\n| connects to /                      | sockets | per second |");
    console.log("| ---------------------------------- | ------- | ---------- |");
    console.log(
      `| ${"all to one node".padEnd(34)} | ${String(CONNECTS).padStart(7)} | ${one.toFixed(0).padStart(10)} |`,
    );
    console.log(
      `| ${"spread over three nodes".padEnd(34)} | ${String(CONNECTS).padStart(7)} | ${three.toFixed(0).padStart(10)} |`,
    );
  } finally {
    await cluster.close();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
