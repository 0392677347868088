// Starting the processes of one bench run: a server under test and the client workers.
import { type ChildProcess, fork } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { channel } from "./ipc.js";

export type System = "rally" | "baseline";
const HERE = import.meta.dirname;

function started(child: ChildProcess): Promise<{ port: number }> {
  return new Promise((resolve, reject) => {
    child.once("message", (message: { ready: boolean; port: number }) => resolve(message));
    child.once("exit", (code) => reject(new Error(`process exited before it was ready (${code})`)));
  });
}

export interface ServerUnderTest {
  url: string;
  call: ReturnType<typeof channel>["call"];
  stop(): Promise<void>;
}

/**
 * The server runs alone in its process, so its CPU and heap are its own. Rally gets a fresh copy
 * of a migrated database.
 */
export async function startServer(
  system: System,
  templateDb: string,
  redisUrl: string | null = null,
): Promise<ServerUnderTest> {
  const secret = crypto.randomBytes(32).toString("hex");
  let dbFile = "";
  if (system === "rally") {
    dbFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "rally-bench-")), "bench.db");
    fs.copyFileSync(templateDb, dbFile);
  }
  const script = path.join(HERE, system === "rally" ? "rally/server.ts" : "baseline/server.ts");
  // BENCH_SERVER_IMPORT preloads a diagnostic module into the server (see count-queries.mjs).
  const preload = process.env.BENCH_SERVER_IMPORT;
  const execArgv = ["--import", "tsx", "--expose-gc", ...(preload ? ["--import", preload] : [])];
  const child = fork(script, [JSON.stringify({ dbFile, secret, redisUrl })], { execArgv, stdio: "inherit" });
  const { port } = await started(child);
  const { call } = channel(child);
  return {
    url: `http://127.0.0.1:${port}`,
    call,
    async stop() {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      await call("exit").catch(() => {});
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      child.kill("SIGKILL");
      if (dbFile) fs.rmSync(path.dirname(dbFile), { recursive: true, force: true });
    },
  };
}

export interface Workers {
  /** The worker that holds player `index`. */
  of(index: number): ReturnType<typeof channel>;
  /** Sends each worker its share of `items` (by player index) and gathers the replies. */
  each<T extends { index: number } | number, R>(
    cmd: string,
    items: T[],
    args?: Record<string, unknown>,
  ): Promise<R[]>;
  broadcast<R>(cmd: string, args?: Record<string, unknown>): Promise<R[]>;
  stop(): void;
}

export async function startWorkers(count: number): Promise<Workers> {
  const children = Array.from({ length: count }, () =>
    fork(path.join(HERE, "worker.ts"), [], { execArgv: ["--import", "tsx"], stdio: "inherit" }),
  );
  await Promise.all(children.map(started));
  const channels = children.map(channel);
  const of = (index: number) => channels[index % count]!;
  const indexOf = (item: { index: number } | number) => (typeof item === "number" ? item : item.index);
  return {
    of,
    each(cmd, items, args = {}) {
      const shares = channels.map(() => [] as typeof items);
      for (const item of items) shares[indexOf(item) % count]!.push(item);
      return Promise.all(
        channels.map((worker, i) => worker.call(cmd, { ...args, [itemsKey(cmd)]: shares[i] })),
      );
    },
    broadcast: (cmd, args = {}) => Promise.all(channels.map((worker) => worker.call(cmd, args))),
    stop() {
      for (const child of children) child.kill();
    },
  };
}

const ITEM_KEYS: Record<string, string> = {
  connect: "specs",
  join: "moves",
  chat: "senders",
  race: "indices",
  churn: "seats",
};
const itemsKey = (cmd: string) => ITEM_KEYS[cmd] ?? "items";
