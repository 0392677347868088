import type { FastifySchema } from "fastify";
import { z } from "zod";

interface RouteDocs {
  summary: string;
  tags: string[];
  body?: z.ZodType;
  querystring?: z.ZodType;
  params?: Record<string, string>;
  /** Status code to a description of the reply (types are named as in docs/protocol.md). */
  responses: Record<number, string>;
  /** Needs `Authorization: Bearer <token>` (an admin's for /api/admin). */
  auth?: boolean;
}

const jsonSchema = (schema: z.ZodType) =>
  z.toJSONSchema(schema, { io: "input", unrepresentable: "any", target: "draft-7" }) as Record<
    string,
    unknown
  >;

const errorBody = {
  type: "object",
  properties: {
    error: {
      type: "object",
      properties: { code: { type: "string" }, message: { type: "string" }, field: { type: "string" } },
      required: ["code", "message"],
    },
  },
};

/**
 * Route options that describe a route for the OpenAPI document at `/docs`, generated from the same
 * zod schemas the handler validates with. Fastify does not validate or serialize with them: the
 * handler's zod parse keeps the `invalid_payload` reply with its `field`, and replies go out as
 * they are.
 */
export function routeDocs(docs: RouteDocs) {
  const response: Record<number, unknown> = {};
  for (const [status, description] of Object.entries(docs.responses)) {
    response[Number(status)] = Number(status) >= 400 ? { description, ...errorBody } : { description };
  }
  const schema: FastifySchema & Record<string, unknown> = {
    summary: docs.summary,
    tags: docs.tags,
    response,
    ...(docs.auth ? { security: [{ bearer: [] }] } : {}),
  };
  if (docs.body) schema.body = jsonSchema(docs.body);
  if (docs.querystring) schema.querystring = jsonSchema(docs.querystring);
  if (docs.params) {
    schema.params = {
      type: "object",
      properties: Object.fromEntries(
        Object.entries(docs.params).map(([name, description]) => [name, { type: "string", description }]),
      ),
      required: Object.keys(docs.params),
    };
  }
  return {
    schema,
    validatorCompiler: () => () => true,
    serializerCompiler: () => (data: unknown) => JSON.stringify(data),
  };
}
