import { spawnSync } from "node:child_process";
import { expect, it } from "vitest";

it("keeps the generated PostgreSQL schema in step with prisma/schema.prisma", () => {
  const result = spawnSync(process.execPath, ["scripts/prisma-postgres.mjs", "--check"], {
    encoding: "utf8",
  });
  expect(result.stderr).toBe("");
  expect(result.status).toBe(0);
});
