import zlib from "node:zlib";
import compress from "@fastify/compress";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";

/** Vite names every built asset by its content hash, so a URL under /assets/ never changes meaning. */
const IMMUTABLE = "public, max-age=31536000, immutable";

/**
 * Compression for every response (registered before the routes), and the built game client at `/`. The client's build writes
 * `.br` and `.gz` next to each asset (see vite.config.ts), which are sent as they are: compressing
 * a megabyte of JavaScript with brotli on every request would cost the server seconds of CPU.
 * index.html is revalidated on every load so a new deploy is picked up at once.
 */
export async function compressResponses(app: FastifyInstance): Promise<void> {
  await app.register(compress, {
    threshold: 1024,
    encodings: ["br", "gzip"],
    // Dynamic responses are small JSON: a fast brotli level is as good as the slow default here.
    brotliOptions: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } },
  });
}

export async function serveClient(app: FastifyInstance, clientDir: string): Promise<void> {
  await app.register(fastifyStatic, {
    root: clientDir,
    prefix: "/",
    wildcard: false,
    preCompressed: true,
    cacheControl: false,
    setHeaders: (res, filePath) => {
      const hashed = /[\\/]assets[\\/]/.test(filePath);
      res.setHeader("cache-control", hashed ? IMMUTABLE : "no-cache");
    },
  });
}
