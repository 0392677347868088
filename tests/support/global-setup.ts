import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { migrate } from "../../apps/server/src/db.js";

/** Migrates one template database; every test server starts from a copy of it. */
export default async function setup({ provide }: { provide: (key: "templateDb", value: string) => void }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rally-template-"));
  const file = path.join(dir, "template.db");
  await migrate(`file:${file}`);
  provide("templateDb", file);
  return () => fs.rmSync(dir, { recursive: true, force: true });
}

declare module "vitest" {
  export interface ProvidedContext {
    templateDb: string;
  }
}
