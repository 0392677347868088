// Generates the PostgreSQL schema and its SQL from prisma/schema.prisma, the one source of truth.
// A Prisma client is generated for one provider, so multi-node deployments on PostgreSQL use
// prisma/postgres/schema.prisma; never edit it by hand. `--check` fails when it is out of date.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";

const source = fs.readFileSync("prisma/schema.prisma", "utf8");
const header = "// GENERATED from prisma/schema.prisma by scripts/prisma-postgres.mjs. Do not edit.\n";
const schema =
  header +
  source
    .replace(/provider\s*=\s*"sqlite"/, 'provider = "postgresql"')
    .replace(
      /engineType = "client"/,
      'engineType = "client"\n  output     = "../../node_modules/.prisma/postgres-client"',
    );

const empty = path.join(os.tmpdir(), "rally-empty-postgres.prisma");
fs.writeFileSync(empty, 'datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n}\n');
const target = path.join(os.tmpdir(), "rally-postgres.prisma");
fs.writeFileSync(target, schema);
const cli = createRequire(import.meta.url).resolve("prisma/build/index.js");
const sql = execFileSync(
  process.execPath,
  [cli, "migrate", "diff", "--from-schema-datamodel", empty, "--to-schema-datamodel", target, "--script"],
  {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    // prisma.config.ts opens its SQLite adapter even for a datamodel-to-datamodel diff; give it a
    // scratch file so this works on a fresh clone with no data/ folder.
    env: { ...process.env, DATABASE_URL: `file:${path.join(os.tmpdir(), "rally-diff-scratch.db")}` },
  },
);

const outputs = { "prisma/postgres/schema.prisma": schema, "prisma/postgres/schema.sql": sql };
if (process.argv.includes("--check")) {
  const stale = Object.entries(outputs).filter(
    ([file, text]) => !fs.existsSync(file) || fs.readFileSync(file, "utf8") !== text,
  );
  if (stale.length) {
    console.error(`out of date: ${stale.map(([file]) => file).join(", ")}; run npm run db:postgres`);
    process.exit(1);
  }
} else {
  fs.mkdirSync("prisma/postgres", { recursive: true });
  for (const [file, text] of Object.entries(outputs)) fs.writeFileSync(file, text);
  console.log("wrote prisma/postgres/schema.prisma and prisma/postgres/schema.sql");
}
