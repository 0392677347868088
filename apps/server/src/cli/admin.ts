import { ensureAdmin } from "../auth/admins.js";
import { AccountStore } from "../auth/store.js";
import { tellNodesRightsChanged } from "../cluster/index.js";
import { ConfigError, loadConfig } from "../config.js";
import { createDb, migrate } from "../db.js";

const USAGE = `Usage:
  npm run admin -- create <username>     (password from ADMIN_PASSWORD, or asked on the terminal)
  npm run admin -- promote <username>
  npm run admin -- demote <username>`;

async function readPassword(): Promise<string> {
  if (process.env.ADMIN_PASSWORD) return process.env.ADMIN_PASSWORD;
  if (!process.stdin.isTTY) throw new Error("Set ADMIN_PASSWORD, or run in a terminal to be asked");
  const { createInterface } = await import("node:readline/promises");
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  const answer = await rl.question("Password (8-128 characters): ");
  rl.close();
  return answer;
}

async function main(): Promise<number> {
  const [command, username] = process.argv.slice(2);
  if (!command || !username || !["create", "promote", "demote"].includes(command)) {
    console.error(USAGE);
    return 2;
  }
  // ADMIN_PASSWORD here is this command's input, not the start-up bootstrap pair.
  const config = loadConfig({ ...process.env, ADMIN_USERNAME: "", ADMIN_PASSWORD: "" });
  await migrate(config.databaseUrl);
  const db = createDb(config.databaseUrl);
  const accounts = new AccountStore(db);
  try {
    if (command === "demote") {
      const user = await accounts.findByName(username);
      if (!user) throw new Error(`No user "${username}"`);
      await accounts.setRole(user.id, "player");
      // Running nodes cut the user's /admin sockets now rather than at their next session sweep.
      await tellNodesRightsChanged(config, user.id);
      console.log(`${user.username} is now a player`);
    } else {
      const password = command === "create" ? await readPassword() : null;
      const outcome = await ensureAdmin(accounts, username, password);
      console.log(`${username}: admin ${outcome}`);
    }
    return 0;
  } finally {
    await db.$disconnect();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(
      error instanceof ConfigError ? `Configuration error: ${error.message}` : `Error: ${error.message}`,
    );
    process.exit(1);
  },
);
