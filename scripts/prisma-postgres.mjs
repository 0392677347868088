// Generates the PostgreSQL schema, its full SQL and one PostgreSQL migration per SQLite migration
// from prisma/schema.prisma, the one source of truth. A Prisma client is generated for one provider,
// so deployments on PostgreSQL use prisma/postgres/schema.prisma; never edit it by hand.
//
// prisma/postgres/migrations/<folder>/ mirrors prisma/migrations/<folder>/: `schema.prisma` is the
// PostgreSQL data model as of that migration (a snapshot taken when the folder is generated) and
// `migration.sql` the diff from the previous snapshot. apps/server/src/db/pg-migrate.ts applies them
// (Prisma's own `migrate deploy` cannot reach PostgreSQL through the JS engine: prisma#27403).
// `--check` fails when anything is missing or out of date.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";

const SQLITE_MIGRATIONS = "prisma/migrations";
const PG_MIGRATIONS = "prisma/postgres/migrations";
const check = process.argv.includes("--check");

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

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "rally-pg-"));
const empty = path.join(scratch, "empty.prisma");
fs.writeFileSync(empty, 'datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n}\n');
const cli = createRequire(import.meta.url).resolve("prisma/build/index.js");

/** The SQL that takes a PostgreSQL database from one data model to the next. */
function diff(fromText, toText) {
  const from = fromText === null ? empty : path.join(scratch, "from.prisma");
  if (fromText !== null) fs.writeFileSync(from, fromText);
  const to = path.join(scratch, "to.prisma");
  fs.writeFileSync(to, toText);
  return execFileSync(
    process.execPath,
    [cli, "migrate", "diff", "--from-schema-datamodel", from, "--to-schema-datamodel", to, "--script"],
    {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      // prisma.config.ts opens its SQLite adapter even for a datamodel-to-datamodel diff; give it a
      // scratch file so this works on a fresh clone with no data/ folder.
      env: { ...process.env, DATABASE_URL: `file:${path.join(scratch, "diff-scratch.db")}` },
    },
  );
}

const read = (file) => (fs.existsSync(file) ? fs.readFileSync(file, "utf8") : null);
const folders = fs
  .readdirSync(SQLITE_MIGRATIONS, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

const outputs = new Map([
  ["prisma/postgres/schema.prisma", schema],
  ["prisma/postgres/schema.sql", diff(null, schema)],
  [`${PG_MIGRATIONS}/migration_lock.toml`, 'provider = "postgresql"\n'],
]);
const problems = [];
let previous = null;
folders.forEach((folder, index) => {
  const dir = `${PG_MIGRATIONS}/${folder}`;
  const last = index === folders.length - 1;
  let snapshot = read(`${dir}/schema.prisma`);
  // A new migration, or the newest one while its schema is still being edited, takes today's model.
  if (snapshot === null || (last && !check)) snapshot = schema;
  if (last && snapshot !== schema) {
    problems.push(`prisma/schema.prisma changed after ${folder}: write its SQLite migration first`);
  }
  outputs.set(`${dir}/schema.prisma`, snapshot);
  outputs.set(`${dir}/migration.sql`, diff(previous, snapshot));
  previous = snapshot;
});
for (const folder of fs.existsSync(PG_MIGRATIONS) ? fs.readdirSync(PG_MIGRATIONS) : []) {
  if (folder !== "migration_lock.toml" && !folders.includes(folder)) {
    problems.push(`${PG_MIGRATIONS}/${folder} has no SQLite migration`);
  }
}
fs.rmSync(scratch, { recursive: true, force: true });

if (check) {
  const stale = [...outputs].filter(([file, text]) => read(file) !== text).map(([file]) => file);
  if (stale.length) problems.push(`out of date: ${stale.join(", ")}; run npm run db:postgres`);
  if (problems.length) {
    console.error(problems.join("\n"));
    process.exit(1);
  }
} else {
  for (const [file, text] of outputs) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
  console.log(`wrote prisma/postgres/ (schema and ${folders.length} migration(s))`);
  if (problems.length) console.error(problems.join("\n"));
}
