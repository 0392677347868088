import { ErrorCode, Limits } from "@rally/protocol";
import type { FastifyInstance } from "fastify";
import { inspectPayload } from "../realtime/inspect.js";

/**
 * HTTP bodies, queries and route parameters pass the same check as socket payloads before any
 * route reads them: no NUL characters or lone surrogates (a database would fail on them) and no
 * nesting deeper than the socket limit. The body's size is Fastify's `bodyLimit`.
 */
export function installTextGuard(app: FastifyInstance): void {
  app.addHook("preValidation", async (request, reply) => {
    const verdict = inspectPayload(
      [request.body, request.query, request.params],
      Number.POSITIVE_INFINITY,
      Limits.maxPayloadDepth,
    );
    if (verdict === "ok") return;
    const message =
      verdict === "too_deep"
        ? `body: nested deeper than ${Limits.maxPayloadDepth} levels`
        : "body: text must be valid Unicode without NUL characters";
    return reply.code(400).send({ error: { code: ErrorCode.invalid_payload, message } });
  });
}
