// `npm start`: builds what is missing or older than its sources (the protocol and the server with
// tsc, the game client with Vite), then runs the compiled server with plain node.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

/** The newest modification time under these paths (files or folders), 0 when none exist. */
function newest(paths) {
  let latest = 0;
  for (const entry of paths) {
    if (!fs.existsSync(entry)) continue;
    const stat = fs.statSync(entry);
    if (!stat.isDirectory()) {
      latest = Math.max(latest, stat.mtimeMs);
      continue;
    }
    for (const name of fs.readdirSync(entry, { recursive: true })) {
      const file = path.join(entry, String(name));
      if (!file.includes("node_modules")) latest = Math.max(latest, fs.statSync(file).mtimeMs);
    }
  }
  return latest;
}

/** True when `output` is missing or older than anything in `sources`. */
function stale(output, sources) {
  return !fs.existsSync(output) || fs.statSync(output).mtimeMs < newest(sources);
}

function run(what, args) {
  console.log(`Building ${what}...`);
  const build = spawnSync("npm", args, { stdio: "inherit" });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const serverSources = [
  "packages/protocol/src",
  "packages/protocol/package.json",
  "apps/server/src",
  "tsconfig.base.json",
  "apps/server/tsconfig.build.json",
];
if (
  stale("apps/server/dist/main.js", serverSources) ||
  stale("packages/protocol/dist/index.js", serverSources)
) {
  run("the server", ["run", "build:server"]);
}
const clientSources = [
  "apps/game-client/src",
  "apps/game-client/index.html",
  "apps/game-client/vite.config.ts",
  "apps/game-client/public",
  "packages/protocol/src",
];
if (
  fs.existsSync("apps/game-client/index.html") &&
  stale("apps/game-client/dist/index.html", clientSources)
) {
  run("the game client", ["run", "build:client"]);
}

// The "rally-dist" condition makes @rally/protocol resolve to its compiled dist/.
const server = spawn(
  process.execPath,
  ["--conditions=rally-dist", "--enable-source-maps", "apps/server/dist/main.js"],
  { stdio: "inherit" },
);
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
