import net from "node:net";
import { defineConfig } from "vitest/config";

/** The server suites run a second time on PostgreSQL; these need no database or test it otherwise. */
const NOT_ON_POSTGRES = [
  "tests/browser/**",
  "tests/cluster/**",
  "tests/**/memory-store.test.ts",
  "tests/**/redis-store.test.ts",
  "tests/friends/store.test.ts",
  "tests/schema-sync.test.ts",
  "tests/build.test.ts",
  "tests/protocol-reference.test.ts",
  // SQLite's own file behaviour: WAL mode, a locked file, a deleted file, file permissions.
  "tests/hardening/http.test.ts",
  "tests/hardening/secrets.test.ts",
  // Process signals and CPU-bound flood, payload and quota checks: the same on either database,
  // and the slowest files; left out to keep `npm test` within its time budget.
  "tests/lifecycle.test.ts",
  "tests/hardening/flood.test.ts",
  "tests/hardening/payload.test.ts",
  "tests/hardening/quota.test.ts",
];

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
                include: ["tests/**/*.test.ts"],
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
