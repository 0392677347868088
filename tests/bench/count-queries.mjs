// Preloaded into the server under test by `npm run bench -- --profile --queries`: counts the SQL
// statements better-sqlite3 prepares while the profile runs, and prints the most frequent ones.
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(path.resolve(import.meta.dirname, "../../apps/server/package.json"));
const Database = require("better-sqlite3");
const counts = new Map();
const prepare = Database.prototype.prepare;
Database.prototype.prepare = function (sql) {
  const key = sql.replace(/\s+/g, " ").slice(0, 120);
  counts.set(key, (counts.get(key) ?? 0) + 1);
  return prepare.call(this, sql);
};
process.on("message", (message) => {
  if (message?.cmd === "profileStart") counts.clear();
  if (message?.cmd !== "profileStop") return;
  const top = [...counts].sort((a, b) => b[1] - a[1]).slice(0, 12);
  console.log(`SQL statements during the profile:\n${top.map(([sql, n]) => `  ${n}\t${sql}`).join("\n")}`);
});
