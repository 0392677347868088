import type { FastifyInstance } from "fastify";
import type { AppContext } from "./context.js";

/**
 * Each product feature registers its routes, namespaces and handlers here. Keep this list the
 * only place that knows which features exist.
 */
export async function registerFeatures(_app: FastifyInstance, _ctx: AppContext): Promise<void> {}
