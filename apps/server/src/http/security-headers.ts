import helmet from "@fastify/helmet";
import type { FastifyInstance } from "fastify";

const HSTS = "max-age=31536000; includeSubDomains";

/**
 * Helmet's headers, except the two that only make sense over HTTPS: HSTS and CSP's
 * `upgrade-insecure-requests`. Sent over plain HTTP they break LAN play (a friend opening
 * http://<machine-ip>:3000 gets its CSS and JS rewritten to https and sees a white page), so they
 * are added only when the request came over HTTPS, directly or through a trusted proxy
 * (`TRUST_PROXY`) that says so in X-Forwarded-Proto.
 */
export async function securityHeaders(app: FastifyInstance): Promise<void> {
  await app.register(helmet, {
    strictTransportSecurity: false,
    contentSecurityPolicy: {
      directives: {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "connect-src": ["'self'", "ws:", "wss:"],
        "font-src": ["'self'", "data:"],
        "upgrade-insecure-requests": null,
      },
    },
  });
  app.addHook("onRequest", async (request, reply) => {
    if (request.protocol !== "https") return;
    reply.header("strict-transport-security", HSTS);
    const csp = reply.raw.getHeader("content-security-policy");
    if (typeof csp === "string") {
      reply.raw.setHeader("content-security-policy", `${csp};upgrade-insecure-requests`);
    }
  });
}
