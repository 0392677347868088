// `npm run cluster`: three Redis-backed nodes on PostgreSQL behind HAProxy, on this machine, for
// local play and trials. Players open http://localhost:8080; HAProxy spreads them over the nodes.
//   REDIS_URL     default redis://127.0.0.1:6379
//   DATABASE_URL  default postgresql://postgres@127.0.0.1:5432/rally
//   CLUSTER_PORT  default 8080 (HAProxy); the nodes listen on CLUSTER_NODE_PORT, +1, +2 (3001)
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";

const env = {
  ...process.env,
  REDIS_URL: process.env.REDIS_URL || "redis://127.0.0.1:6379",
  DATABASE_URL: process.env.DATABASE_URL || "postgresql://postgres@127.0.0.1:5432/rally",
  HOST: "127.0.0.1",
};
const lbPort = Number(process.env.CLUSTER_PORT || 8080);
const firstPort = Number(process.env.CLUSTER_NODE_PORT || 3001);
const ports = [firstPort, firstPort + 1, firstPort + 2];

if (!fs.existsSync(path.resolve("apps/game-client/dist/index.html"))) {
  console.log("Building the game client (first start only)...");
  const build = spawnSync("npm", ["run", "build", "-w", "@rally/game-client"], { stdio: "inherit" });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const children = [];
function run(label, command, args, extraEnv) {
  const child = spawn(command, args, { env: { ...env, ...extraEnv }, stdio: ["ignore", "pipe", "pipe"] });
  for (const stream of [child.stdout, child.stderr]) {
    readline.createInterface({ input: stream }).on("line", (line) => console.log(`[${label}] ${line}`));
  }
  child.on("exit", (code, signal) => {
    console.log(`[${label}] exited (${signal ?? code})`);
    if (!stopping) stop(1);
  });
  children.push(child);
  return child;
}

let stopping = false;
function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
  setTimeout(() => process.exit(code), 11_000).unref();
  Promise.all(children.map((c) => (c.exitCode !== null ? null : new Promise((r) => c.once("exit", r))))).then(
    () => process.exit(code),
  );
}
process.on("SIGINT", () => stop(0));
process.on("SIGTERM", () => stop(0));

// HAProxy keeps the Host header, so the nodes' same-origin check accepts the balancer's address.
for (const [i, port] of ports.entries()) {
  run(`node${i + 1}`, process.execPath, ["--import", "tsx", "apps/server/src/main.ts"], {
    PORT: String(port),
  });
}
const haproxy = fs.existsSync("/usr/sbin/haproxy") ? "/usr/sbin/haproxy" : "haproxy";
run("haproxy", haproxy, ["-db", "-f", path.resolve("deploy/haproxy.cfg")], {
  RALLY_BIND: `0.0.0.0:${lbPort}`,
  RALLY_NODE1: `127.0.0.1:${ports[0]}`,
  RALLY_NODE2: `127.0.0.1:${ports[1]}`,
  RALLY_NODE3: `127.0.0.1:${ports[2]}`,
});
console.log(`Rally cluster: http://localhost:${lbPort} (nodes on ${ports.join(", ")})`);
