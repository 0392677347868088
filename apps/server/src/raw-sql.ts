import type { Prisma } from "@prisma/client";
import { type Db, sqlBuilder } from "./db.js";

/**
 * The reads that run on every connect, join and login (sessions, profiles, friend and ignore
 * lists, bans) are written as raw SQL. Prisma's query compiler costs 5–10× a raw statement for a
 * batch of ids (measured: 10 ms against 2 ms of CPU for 250 ids), and these reads were most of a
 * connect's CPU. Quoted identifiers and bound values read the same on SQLite and PostgreSQL;
 * dates are compared in JavaScript, since the two store them differently.
 */
export const idList = (db: Db, ids: readonly string[]): Prisma.Sql => sqlBuilder(db).join(ids);

/** A DateTime column as returned by either database (a Date, or text on some drivers). */
export function asDate(value: Date | string | null): Date | null {
  if (value === null) return null;
  return value instanceof Date ? value : new Date(value);
}
