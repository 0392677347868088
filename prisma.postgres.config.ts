import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import type { PrismaConfig } from "prisma";

// The PostgreSQL twin of prisma.config.ts: `prisma generate --config prisma.postgres.config.ts`
// builds the PostgreSQL client from the generated schema (a client serves one provider).
process.env.DATABASE_URL ??= "postgresql://postgres@127.0.0.1:5432/rally";

export default {
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", "postgres", "schema.prisma"),
  migrations: { path: path.join("prisma", "postgres", "migrations") },
  async adapter() {
    return new PrismaPg({ connectionString: process.env.DATABASE_URL ?? "" });
  },
} satisfies PrismaConfig;
