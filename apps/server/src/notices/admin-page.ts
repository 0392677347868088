import fs from "node:fs/promises";
import path from "node:path";
import type { FastifyInstance } from "fastify";

const DIR = path.join(import.meta.dirname, "admin-page");
const FILES: Record<string, string> = {
  "/admin": "index.html",
  "/admin/admin.js": "admin.js",
  "/admin/admin.css": "admin.css",
};
const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
};

/** The admin page: plain HTML, CSS and JS, served by the same server; it signs in like any client. */
export async function adminPage(app: FastifyInstance): Promise<void> {
  for (const [route, file] of Object.entries(FILES)) {
    app.get(route, async (_request, reply) => {
      reply.type(TYPES[path.extname(file)]!);
      return fs.readFile(path.join(DIR, file), "utf8");
    });
  }
}
