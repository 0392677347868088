import net from "node:net";
import { defineConfig } from "vitest/config";

/**
 * The core server suites run a second time on PostgreSQL: every place the lobby, presence,
 * friends, notices, moderation and auth read or write data. The rest run on SQLite only: browser,
 * cluster (PostgreSQL already) and store-only suites, SQLite's own file behaviour, and the
 * process, fuzz, leak and flood suites, which do not depend on the database and are the slowest.
 */
const ON_POSTGRES = [
  "tests/auth.test.ts",
  "tests/acks.test.ts",
  "tests/handshake.test.ts",
  "tests/hot-reads.test.ts",
  "tests/lobby/*.test.ts",
  "tests/friends/requests.test.ts",
  "tests/presence/*.test.ts",
  "tests/notices/*.test.ts",
  "tests/moderation/*.test.ts",
  "tests/hardening/namespaces.test.ts",
  "tests/hardening/recovery.test.ts",
  "tests/hardening/limits.test.ts",
  "tests/hardening/login-limits.test.ts",
  "tests/hardening/strings.test.ts",
];
const NOT_ON_POSTGRES = ["tests/**/memory-store.test.ts", "tests/**/redis-store.test.ts"];

function reachable(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise<boolean>((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port || 5432), timeout: 1_000 });
    socket.once("connect", () => resolve(true));
    socket.once("error", () => resolve(false));
    socket.once("timeout", () => resolve(false));
  });
}

const pgUrl = process.env.TEST_DATABASE_URL || "postgresql://postgres@127.0.0.1:5432/postgres";
const postgres = (await reachable(pgUrl)) || Boolean(process.env.CI);
if (!postgres) {
  process.stderr.write(
    `\nNOT RUN: the server suites on PostgreSQL (project "postgres"): nothing listens at ${pgUrl}\n\n`,
  );
}

const shared = {
  testTimeout: 30_000,
  hookTimeout: 90_000,
  pool: "forks" as const,
};

export default defineConfig({
  test: {
    reporters: ["default", "./tests/support/summary-reporter.ts"],
    // Vitest's default on a 2-core box is one worker; the suites mostly wait on sockets, timers
    // and the browser, so two files at a time cut the run from about 9 to under 6 minutes.
    maxWorkers: 2,
    projects: [
      {
        test: {
          ...shared,
          name: "embedded",
          include: ["tests/**/*.test.ts"],
          globalSetup: ["tests/support/global-setup.ts"],
        },
      },
      ...(postgres
        ? [
            {
              test: {
                ...shared,
                name: "postgres",
                include: ON_POSTGRES,
                exclude: NOT_ON_POSTGRES,
                env: { TEST_DB: "postgres" },
                globalSetup: ["tests/support/global-setup-postgres.ts"],
              },
            },
          ]
        : []),
    ],
  },
});
