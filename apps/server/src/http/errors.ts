import { ErrorCode } from "@rally/protocol";
import type { FastifyError, FastifyInstance } from "fastify";
import type { z } from "zod";
import { isUnavailable, RETRY_AFTER_SECONDS, retryAfterSeconds } from "../ops/unavailable.js";

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export function httpError(status: number, code: ErrorCode, message: string, field?: string): HttpError {
  return new HttpError(status, code, message, field);
}

/** Validates a request body, throwing a 400 invalid_payload that names the first bad field. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.join(".") : "body";
  throw httpError(400, ErrorCode.invalid_payload, `${field}: ${issue?.message ?? "invalid"}`, field);
}

/** Every HTTP error leaves as `{ error: { code, message, field? } }`, with no stack or SQL in it. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | HttpError, request, reply) => {
    if (error instanceof HttpError) {
      const body = error.field
        ? { code: error.code, message: error.message, field: error.field }
        : { code: error.code, message: error.message };
      if (error.statusCode === 503) reply.header("retry-after", String(RETRY_AFTER_SECONDS));
      return reply.code(error.statusCode).send({ error: body });
    }
    if (isUnavailable(error)) {
      request.log.warn({ err: error }, "unavailable: out of a resource");
      return reply
        .code(503)
        .header("retry-after", String(retryAfterSeconds(error)))
        .send({ error: { code: ErrorCode.unavailable, message: "The server is busy, try again shortly" } });
    }
    const status = error.statusCode ?? 500;
    if (status === 429) {
      return reply
        .code(429)
        .send({ error: { code: ErrorCode.rate_limited, message: "Too many attempts, try again later" } });
    }
    if (status >= 400 && status < 500) {
      const code = status === 413 ? ErrorCode.payload_too_large : ErrorCode.invalid_payload;
      return reply.code(status).send({ error: { code, message: error.message } });
    }
    request.log.error({ err: error }, "request failed");
    return reply
      .code(500)
      .send({ error: { code: ErrorCode.internal, message: "Something went wrong on the server" } });
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .send({ error: { code: ErrorCode.not_found, message: `No route ${request.method} ${request.url}` } }),
  );
}
