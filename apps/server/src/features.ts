import type { FastifyInstance } from "fastify";
import type { AppContext } from "./context.js";
import { registerLobby } from "./lobby/index.js";

/**
 * Each product feature registers its routes, namespaces and handlers here. Keep this list the
 * only place that knows which features exist.
 */
export async function registerFeatures(app: FastifyInstance, ctx: AppContext): Promise<void> {
  await registerLobby(app, ctx);
}
