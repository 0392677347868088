import { afterAll, beforeAll, expect, it } from "vitest";
import { startServer, type TestServer } from "./support/server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

it("describes every /api route in the OpenAPI document at /docs/json, from the routes' schemas", async () => {
  const res = await server.http("GET", "/docs/json");
  expect(res.status).toBe(200);
  const doc = res.body;
  expect(doc.openapi).toBe("3.1.0");
  const operations = Object.entries(doc.paths as Record<string, Record<string, any>>).flatMap(
    ([route, methods]) => Object.entries(methods).map(([method, op]) => ({ route, method, op })),
  );
  const api = operations.filter((o) => o.route.startsWith("/api/"));
  const undocumented = api.filter((o) => !o.op.summary).map((o) => `${o.method.toUpperCase()} ${o.route}`);
  expect(undocumented, "add routeDocs({ summary, … }) to these routes").toEqual([]);

  const ban = doc.paths["/api/admin/players/{id}/ban"].post;
  expect(ban.security).toEqual([{ bearer: [] }]);
  const body = ban.requestBody.content["application/json"].schema;
  expect(body.required).toEqual(["reason"]);
  expect(body.properties.durationSeconds).toMatchObject({ anyOf: expect.any(Array) });
  expect(Object.keys(ban.responses)).toEqual(expect.arrayContaining(["201", "404", "409"]));
  const login = doc.paths["/api/auth/login"].post.requestBody.content["application/json"].schema;
  expect(login.properties.password).toMatchObject({ minLength: 8, maxLength: 128 });
});

it("serves Swagger UI at /docs from the package's own assets, under the app's CSP", async () => {
  const page = await server.http("GET", "/docs/static/index.html");
  expect(page.status).toBe(200);
  expect(page.headers.get("content-security-policy")).toContain("script-src 'self'");
  expect(String(page.body)).not.toMatch(/https?:\/\/(?!127)/);
  const bundle = await server.http("GET", "/docs/static/swagger-ui-bundle.js");
  expect(bundle.status).toBe(200);
});

it("still validates with zod: a bad body gets invalid_payload naming the field", async () => {
  const { token } = await server.admin("docsadmin");
  const { user } = await server.register("docstarget");
  const res = await server.http("POST", `/api/admin/players/${user.id}/ban`, {
    token,
    body: { reason: "x", durationSeconds: -5 },
  });
  expect(res.status).toBe(400);
  expect(res.body.error).toMatchObject({ code: "invalid_payload", field: "durationSeconds" });
});
