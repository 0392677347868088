import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { Redis } from "ioredis";

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function until(check: () => Promise<boolean> | boolean, ms = 15_000, what = "condition") {
  const end = Date.now() + ms;
  while (
    !(await Promise.resolve()
      .then(check)
      .catch(() => false))
  ) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A Redis of the test's own on a free port, with an append-only file so a restart keeps its data. */
export class PrivateRedis {
  private child: ChildProcess | null = null;
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), "rally-redis-"));

  private constructor(readonly port: number) {}

  static async start(): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await freePort());
    await redis.startProcess();
    return redis;
  }

  get url() {
    return `redis://127.0.0.1:${this.port}`;
  }

  async startProcess(): Promise<void> {
    this.child = spawn(
      fs.existsSync("/usr/bin/redis-server") ? "/usr/bin/redis-server" : "redis-server",
      [
        "--port",
        String(this.port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "yes",
        "--dir",
        this.dir,
      ],
      { stdio: "ignore" },
    );
    await until(
      async () => {
        const client = new Redis(this.url, {
          lazyConnect: true,
          maxRetriesPerRequest: 0,
          retryStrategy: () => null,
        });
        client.on("error", () => {});
        try {
          await client.connect();
          return (await client.ping()) === "PONG";
        } finally {
          client.disconnect();
        }
      },
      10_000,
      "redis-server",
    );
  }

  /** Stops it (a clean shutdown flushes the append-only file). */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
  }

  async close(): Promise<void> {
    await this.stop();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** HAProxy with the committed deploy/haproxy.cfg in front of the given nodes. */
export async function startHaproxy(nodes: string[]): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  const env: Record<string, string> = { RALLY_BIND: `127.0.0.1:${port}` };
  nodes.forEach((node, i) => {
    env[`RALLY_NODE${i + 1}`] = node.replace(/^http:\/\//, "");
  });
  const child = spawn(
    fs.existsSync("/usr/sbin/haproxy") ? "/usr/sbin/haproxy" : "haproxy",
    ["-db", "-f", path.resolve("deploy/haproxy.cfg")],
    {
      env: { ...process.env, ...env },
      stdio: "ignore",
    },
  );
  const url = `http://127.0.0.1:${port}`;
  await until(async () => (await fetch(`${url}/health`)).status === 200, 10_000, "haproxy");
  return {
    url,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    },
  };
}
