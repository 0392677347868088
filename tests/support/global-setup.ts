import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { build } from "vite";
import { migrate } from "../../apps/server/src/db.js";

export const TEST_CLIENT_DIR = path.resolve("apps/game-client/dist-test");

/**
 * Migrates one template database (every test server starts from a copy of it) and builds the
 * game client's test bundle, which exposes a read-only state snapshot for the browser tests.
 */
export default async function setup({ provide }: { provide: (key: "templateDb", value: string) => void }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rally-template-"));
  const file = path.join(dir, "template.db");
  await Promise.all([
    migrate(`file:${file}`),
    build({ configFile: path.resolve("apps/game-client/vite.config.ts"), mode: "test", logLevel: "warn" }),
  ]);
  provide("templateDb", file);
  return () => fs.rmSync(dir, { recursive: true, force: true });
}

declare module "vitest" {
  export interface ProvidedContext {
    templateDb: string;
  }
}
