import path from "node:path";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import type { PrismaConfig } from "prisma";

// Setting DATABASE_URL here turns off Prisma's .env loading, which would otherwise try to
// download an engine during `generate`.
process.env.DATABASE_URL ??= `file:${path.resolve("data/rally.db")}`;

export default {
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  async adapter() {
    return new PrismaBetterSQLite3({ url: process.env.DATABASE_URL ?? "" });
  },
} satisfies PrismaConfig;
