import crypto from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import Fastify from "fastify";
import { ErrorCode } from "@rally/protocol";
import type { AppContext } from "../context.js";
import { databaseKind } from "../config.js";
import { databaseFile } from "../db.js";
import { fileIdentity } from "./lost-database.js";
import { bearerToken } from "../auth/sessions.js";

/**
 * Ready means "writes will work": the database file is still the one opened at start, and a
 * statement that needs the write lock (and changes nothing) succeeds. A locked, read-only,
 * deleted or unreachable database answers 503.
 */
function writeProbe(ctx: AppContext): () => Promise<string | null> {
  const sqlite = databaseKind(ctx.config.databaseUrl) === "sqlite";
  const file = databaseFile(ctx.config.databaseUrl);
  const identity = sqlite ? fileIdentity(file) : null;
  return async () => {
    if (sqlite && fileIdentity(file) !== identity) return "the database file was deleted or replaced";
    try {
      await ctx.db.$executeRawUnsafe('UPDATE "GameServer" SET "slug" = "slug" WHERE 1 = 0');
      return null;
    } catch (error) {
      ctx.log.error({ err: error }, "database cannot be written");
      return "the database cannot be written";
    }
  };
}

function tokenMatches(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const digest = (value: string) => crypto.createHash("sha256").update(value).digest();
  return crypto.timingSafeEqual(digest(given), digest(expected));
}

async function sendMetrics(ctx: AppContext, reply: FastifyReply) {
  reply.header("content-type", ctx.metrics.registry.contentType);
  return ctx.metrics.registry.metrics();
}

export async function healthRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const probe = writeProbe(ctx);
  // Load balancers ask every second: not worth a log line each.
  app.get("/health", { logLevel: "warn" }, async () => ({ status: "ok" }));
  app.get("/ready", async (_request, reply) => {
    const problem = await probe();
    if (problem === null) return { status: "ready" };
    return reply
      .code(503)
      .header("retry-after", "5")
      .send({ status: "unavailable", error: { code: ErrorCode.unavailable, message: problem } });
  });

  // Metrics reveal load and internals: only with the configured token, or on their own address.
  const { token } = ctx.config.metrics;
  app.get("/metrics", async (request: FastifyRequest, reply) => {
    if (!token || !tokenMatches(bearerToken(request.headers.authorization), token)) {
      return reply.callNotFound();
    }
    return sendMetrics(ctx, reply);
  });
  await metricsListener(app, ctx);
}

/** METRICS_PORT: a second listener that serves only `/metrics`, for a private interface. */
async function metricsListener(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const { host, port } = ctx.config.metrics;
  if (host === null || port === null) return;
  const metricsApp = Fastify({ logger: false });
  metricsApp.get("/metrics", async (_request, reply) => sendMetrics(ctx, reply));
  app.addHook("onListen", async () => {
    await metricsApp.listen({ host, port });
    app.log.info({ host, port }, "metrics listening");
  });
  app.addHook("onClose", async () => {
    await metricsApp.close();
  });
}
