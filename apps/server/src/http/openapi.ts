import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { FastifyInstance } from "fastify";

/**
 * The HTTP API as OpenAPI 3, generated from the route schemas (see routeDocs): the document at
 * `/docs/json` and Swagger UI at `/docs`, its assets served from node_modules. Registered before
 * any route so that every route is collected.
 */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Rally HTTP API",
        version: "1.0.0",
        description:
          "Accounts, game servers, notices and moderation. The Socket.IO events are in docs/protocol.md. " +
          'Errors are `{ "error": { "code", "message", "field"? } }`.',
      },
      components: {
        securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "the token from login" } },
      },
    },
  });
  await app.register(swaggerUi, {
    routePrefix: "/docs",
    uiConfig: { docExpansion: "list", deepLinking: false },
    // The app's CSP (helmet) already allows only this origin's scripts; Swagger UI needs no more.
    staticCSP: false,
  });
}
