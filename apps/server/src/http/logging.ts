import type { FastifyServerOptions } from "fastify";

/** Query parameters whose values are credentials: never written to the logs. */
const SECRET_PARAMS = /([?&](?:token|access_token|auth|sid|password)=)[^&#]*/gi;

export function redactUrl(url: string): string {
  return url.replace(SECRET_PARAMS, "$1[Redacted]");
}

/**
 * Tokens must not reach the logs at any level: the Authorization header, cookies, a token in a
 * query string (some Socket.IO clients put it there), and a socket handshake's `auth`.
 */
export function loggerOptions(level: string): FastifyServerOptions["logger"] {
  return {
    level,
    redact: [
      "req.headers.authorization",
      "req.headers.cookie",
      "*.password",
      "*.token",
      "*.*.token",
      "auth",
      "*.auth",
      "*.handshake.auth",
      "*.headers.authorization",
    ],
    serializers: {
      req(request) {
        return {
          method: request.method,
          url: redactUrl(request.url),
          host: request.host,
          remoteAddress: request.ip,
          remotePort: request.socket?.remotePort,
        };
      },
    },
    ...(process.stdout.isTTY && level !== "silent" ? { transport: { target: "pino-pretty" } } : {}),
  };
}
