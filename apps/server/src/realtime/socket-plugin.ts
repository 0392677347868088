import type { FastifyPluginAsync } from "fastify";
import fastifySocketIO, { type FastifySocketioOptions } from "fastify-socket.io";

// fastify-socket.io ships CommonJS with a `default` property; under Node's ESM loader the default
// import is the whole module object, so take the function from wherever it is.
const plugin = ((fastifySocketIO as unknown as { default?: unknown }).default ??
  fastifySocketIO) as FastifyPluginAsync<FastifySocketioOptions>;

export const socketIoPlugin = plugin;
