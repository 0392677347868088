import type { FastifyInstance } from "fastify";
import type { AppContext } from "../context.js";

export async function healthRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  // Load balancers ask every second: not worth a log line each.
  app.get("/health", { logLevel: "warn" }, async () => ({ status: "ok" }));
  app.get("/ready", async (_request, reply) => {
    try {
      await ctx.db.$queryRawUnsafe("SELECT 1");
      return { status: "ready" };
    } catch (error) {
      ctx.log.error({ err: error }, "database not reachable");
      return reply
        .code(503)
        .send({ status: "unavailable", error: { code: "internal", message: "Database not reachable" } });
    }
  });
  app.get("/metrics", async (_request, reply) => {
    reply.header("content-type", ctx.metrics.registry.contentType);
    return ctx.metrics.registry.metrics();
  });
}
