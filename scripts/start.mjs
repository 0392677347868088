// `npm start`: builds the game client when it is missing, then runs the server.
import { spawnSync, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const clientIndex = path.resolve("apps/game-client/dist/index.html");
if (!fs.existsSync(clientIndex) && fs.existsSync(path.resolve("apps/game-client/index.html"))) {
  console.log("Building the game client (first start only)...");
  const build = spawnSync("npm", ["run", "build", "-w", "@rally/game-client"], { stdio: "inherit" });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const server = spawn(process.execPath, ["--import", "tsx", "apps/server/src/main.ts"], { stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
