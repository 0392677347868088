import { credentialsSchema } from "@rally/protocol";
import type { AccountStore } from "./store.js";

/** Creates the admin, or promotes an existing player of that name. Returns what it did. */
export async function ensureAdmin(
  accounts: AccountStore,
  username: string,
  password: string | null,
): Promise<"created" | "promoted" | "unchanged"> {
  const existing = await accounts.findByName(username);
  if (existing) {
    if (existing.role === "admin") return "unchanged";
    await accounts.setRole(existing.id, "admin");
    return "promoted";
  }
  if (password === null) throw new Error(`No user "${username}": give a password to create one`);
  const parsed = credentialsSchema.safeParse({ username, password });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${issue?.path.join(".")}: ${issue?.message}`);
  }
  const created = await accounts.createUser(username, password, "admin");
  if (!created) throw new Error(`Username "${username}" is taken`);
  return "created";
}
