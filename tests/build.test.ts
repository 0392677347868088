import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { closeAll, connect, ok } from "./support/client.js";

const children: ChildProcess[] = [];
afterAll(() => {
  closeAll();
  for (const child of children) child.kill("SIGKILL");
});

/** Starts the compiled server exactly as `npm start` does and resolves with its URL. */
function startCompiled(dataDir: string): Promise<string> {
  const child = spawn(process.execPath, ["--conditions=rally-dist", "apps/server/dist/main.js"], {
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: "0",
      HOST: "127.0.0.1",
      LOG_LEVEL: "info",
      CLIENT_DIR: "",
    },
    stdio: "pipe",
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let output = "";
    const collect = (chunk: Buffer) => {
      output += chunk;
      const match = /listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) resolve(match[1]!);
    };
    child.stdout!.on("data", collect);
    child.stderr!.on("data", (chunk) => {
      output += chunk;
    });
    child.on("exit", (code) => reject(new Error(`compiled server exited with ${code}:\n${output}`)));
  });
}

it("compiles the protocol and the server, and the compiled server runs on plain node", {
  timeout: 240_000,
}, async () => {
  for (const project of ["packages/protocol/tsconfig.build.json", "apps/server/tsconfig.build.json"]) {
    const tsc = spawnSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", project], {
      encoding: "utf8",
    });
    expect(tsc.status, tsc.stdout + tsc.stderr).toBe(0);
  }
  const copy = spawnSync(process.execPath, [
    "scripts/copy-assets.mjs",
    "apps/server/src",
    "apps/server/dist",
  ]);
  expect(copy.status).toBe(0);
  // No TypeScript left to run: the compiled server imports the compiled protocol.
  const emitted = fs.readdirSync("apps/server/dist", { recursive: true }).map(String);
  expect(emitted.filter((file) => file.endsWith(".ts"))).toEqual([]);
  expect(fs.existsSync("packages/protocol/dist/index.js")).toBe(true);

  const url = await startCompiled(fs.mkdtempSync(path.join(os.tmpdir(), "rally-build-")));
  expect((await fetch(`${url}/health`)).status).toBe(200);
  const page = await fetch(`${url}/admin/vendor/uPlot.iife.min.js`);
  expect(page.status).toBe(200);
  const register = await fetch(`${url}/api/auth/register`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: "compiled", password: "correct-horse-battery" }),
  });
  const { token } = await register.json();
  const social = await connect(url, token, "/");
  expect(await ok(social, "servers:list")).toEqual(
    expect.arrayContaining([expect.objectContaining({ slug: "eu-1" })]),
  );
});
