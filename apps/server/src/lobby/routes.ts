import { ErrorCode } from "@rally/protocol";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { AppContext } from "../context.js";
import { httpError, parseBody } from "../http/errors.js";
import { routeDocs } from "../http/route-docs.js";
import type { LobbyHub } from "./hub.js";

const slug = z.string().regex(/^[a-z0-9-]{1,64}$/, "lower-case letters, digits and dashes");
const name = z.string().trim().min(1).max(40);
const newServerSchema = z.object({
  slug,
  name,
  region: z.string().trim().min(1).max(20),
  channelCount: z.number().int().min(1).max(50),
  channelCapacity: z.number().int().min(1).max(1000),
  maxPopulation: z.number().int().min(1).max(100_000),
});
const updateSchema = z.object({
  name: name.optional(),
  region: z.string().trim().min(1).max(20).optional(),
  status: z.literal("open").optional(),
});
const closeSchema = z.object({
  reason: z.string().trim().min(1).max(200).default("The server was closed by an admin"),
});

export async function lobbyRoutes(app: FastifyInstance, ctx: AppContext, hub: LobbyHub): Promise<void> {
  const tags = ["game servers"];
  const slugParam = { slug: "the game server's slug" };
  const admin = (docs: Omit<Parameters<typeof routeDocs>[0], "tags" | "auth">) => ({
    preHandler: ctx.requireAdmin,
    ...routeDocs({ ...docs, tags, auth: true }),
  });
  const listDocs = routeDocs({
    summary: "Game servers with live population",
    tags,
    responses: { 200: "GameServerSummary[]" },
  });
  app.get("/api/servers", listDocs, () => hub.summaries());

  const addDocs = admin({
    summary: "Add a game server",
    body: newServerSchema,
    responses: { 201: "GameServerSummary", 400: "invalid_payload", 409: "invalid_payload (slug taken)" },
  });
  app.post("/api/admin/servers", addDocs, async (request, reply) => {
    const input = parseBody(newServerSchema, request.body);
    const created = await hub.catalog.create(input);
    if (!created) throw httpError(409, ErrorCode.invalid_payload, "That slug is taken", "slug");
    hub.namespaces.opened(created.slug);
    await ctx.audit("server.added", request.auth!.user.id, created.slug, input);
    hub.nsp(created.slug);
    if (ctx.cluster.mode === "redis") ctx.io.serverSideEmit("servers:created", created.slug);
    hub.onPopulationChange();
    return reply.code(201).send(await hub.summary(created));
  });

  app.patch<{ Params: { slug: string } }>(
    "/api/admin/servers/:slug",
    admin({
      summary: "Rename, move or reopen a game server",
      params: slugParam,
      body: updateSchema,
      responses: { 200: "GameServerSummary", 404: "unknown_server" },
    }),
    async (request) => {
      const input = parseBody(updateSchema, request.body);
      const existing = await hub.catalog.get(request.params.slug);
      if (!existing) throw httpError(404, ErrorCode.unknown_server, "No such game server");
      if (input.status === "open") await ctx.gameServers.reopen(existing.slug);
      const updated = await hub.catalog.update(existing.slug, { name: input.name, region: input.region });
      await ctx.audit("server.updated", request.auth!.user.id, existing.slug, input);
      hub.onPopulationChange();
      return await hub.summary(updated!);
    },
  );

  app.post<{ Params: { slug: string } }>(
    "/api/admin/servers/:slug/close",
    admin({
      summary: "Close a game server: its players get server:closing and are disconnected",
      params: slugParam,
      body: closeSchema,
      responses: { 200: "GameServerSummary", 404: "unknown_server" },
    }),
    async (request) => {
      const { reason } = parseBody(closeSchema, request.body);
      if (!(await hub.catalog.get(request.params.slug)))
        throw httpError(404, ErrorCode.unknown_server, "No such game server");
      await ctx.gameServers.close(request.params.slug, reason);
      await ctx.audit("server.closed", request.auth!.user.id, request.params.slug, { reason });
      return await hub.summary((await hub.catalog.get(request.params.slug))!);
    },
  );
}
