import fs from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import type { FastifyInstance } from "fastify";

const DIR = path.join(import.meta.dirname, "admin-page");
// The chart library comes from node_modules, never a CDN: the page's CSP allows only this origin.
const uplot = path.dirname(createRequire(import.meta.url).resolve("uplot"));
const FILES: Record<string, string> = {
  "/admin": path.join(DIR, "index.html"),
  "/admin/admin.js": path.join(DIR, "admin.js"),
  "/admin/admin.css": path.join(DIR, "admin.css"),
  "/admin/population.js": path.join(DIR, "population.js"),
  "/admin/moderation.js": path.join(DIR, "moderation.js"),
  "/admin/vendor/uPlot.iife.min.js": path.join(uplot, "uPlot.iife.min.js"),
  "/admin/vendor/uPlot.min.css": path.join(uplot, "uPlot.min.css"),
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
      return fs.readFile(file, "utf8");
    });
  }
}
