import {
  auditQuerySchema,
  banSchema,
  liftSchema,
  muteSchema,
  playerSearchSchema,
  reportListSchema,
  resolveReportSchema,
} from "@rally/protocol";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { AppContext } from "../context.js";
import { HttpError, parseBody } from "../http/errors.js";
import { routeDocs } from "../http/route-docs.js";
import { AppError } from "../realtime/app-error.js";
import type { AdminConsole } from "./console.js";
import type { ModerationService } from "./service.js";

const STATUS: Record<string, number> = {
  user_not_found: 404,
  report_not_found: 404,
  not_sanctioned: 409,
  already_resolved: 409,
  last_admin: 409,
  cannot_moderate_self: 400,
};

/** Refusals keep their code; HTTP picks the status. */
async function http<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof AppError)
      throw new HttpError(STATUS[error.code] ?? 400, error.code, error.message, error.field);
    throw error;
  }
}

const tags = ["moderation"];
const player = { id: "the player's id" };
// The request path names the player; the body has the rest.
const muteBody = muteSchema.omit({ userId: true });
const banBody = banSchema.omit({ userId: true });
const liftBody = liftSchema.omit({ userId: true });
const auditQuery = auditQuerySchema.extend({ limit: z.coerce.number().int().min(1).max(500).optional() });
const resolveBody = resolveReportSchema.omit({ id: true });
const refusals = { 400: "invalid_payload, cannot_moderate_self", 403: "forbidden", 404: "user_not_found" };

export async function moderationRoutes(
  app: FastifyInstance,
  ctx: AppContext,
  moderation: ModerationService,
  adminConsole: AdminConsole,
  history: () => unknown,
): Promise<void> {
  const admin = { preHandler: ctx.requireAdmin };
  const actor = (request: { auth?: { user: { id: string } } }) => request.auth!.user.id;
  type WithId = { Params: { id: string } };

  app.get(
    "/api/admin/players",
    {
      ...admin,
      ...routeDocs({
        summary: "Find players by name prefix",
        tags,
        auth: true,
        querystring: playerSearchSchema,
        responses: { 200: "PlayerSummary[] (at most 20)", 400: "invalid_payload" },
      }),
    },
    async (request) => adminConsole.search(parseBody(playerSearchSchema, request.query).query),
  );

  app.get<WithId>(
    "/api/admin/players/:id",
    {
      ...admin,
      ...routeDocs({
        summary: "A player's status, location, friends, sanctions and recent audit",
        tags,
        auth: true,
        params: player,
        responses: { 200: "PlayerDetail", 404: "user_not_found" },
      }),
    },
    async (request) => http(() => adminConsole.player(request.params.id)),
  );

  app.post<WithId>(
    "/api/admin/players/:id/mute",
    {
      ...admin,
      ...routeDocs({
        summary: "Mute a player: channel and room chat refused with muted",
        tags,
        auth: true,
        params: player,
        body: muteBody,
        responses: { 201: "SanctionView", ...refusals },
      }),
    },
    async (request, reply) => {
      const input = parseBody(muteBody, request.body);
      const mute = await http(() => moderation.mute(actor(request), { ...input, userId: request.params.id }));
      return reply.code(201).send(mute);
    },
  );

  app.post<WithId>(
    "/api/admin/players/:id/ban",
    {
      ...admin,
      ...routeDocs({
        summary: "Ban a player for a duration or for good; their connections close",
        tags,
        auth: true,
        params: player,
        body: banBody,
        responses: { 201: "SanctionView", ...refusals, 409: "last_admin" },
      }),
    },
    async (request, reply) => {
      const input = parseBody(banBody, request.body);
      const ban = await http(() =>
        moderation.ban(actor(request), {
          ...input,
          durationSeconds: input.durationSeconds ?? null,
          userId: request.params.id,
        }),
      );
      return reply.code(201).send(ban);
    },
  );

  for (const kind of ["mute", "ban"] as const) {
    app.delete<WithId>(
      `/api/admin/players/:id/${kind}`,
      {
        ...admin,
        ...routeDocs({
          summary: `Lift a ${kind}`,
          tags,
          auth: true,
          params: player,
          body: liftBody,
          responses: { 204: "lifted", ...refusals, 409: "not_sanctioned" },
        }),
      },
      async (request, reply) => {
        const { reason } = parseBody(liftBody, request.body);
        await http(() => moderation.lift(kind, actor(request), request.params.id, reason));
        return reply.code(204).send();
      },
    );
  }

  app.get(
    "/api/admin/audit",
    {
      ...admin,
      ...routeDocs({
        summary: "The audit log, newest first, filtered",
        tags,
        auth: true,
        querystring: auditQuery,
        responses: { 200: "AuditEntryView[]", 400: "invalid_payload", 404: "user_not_found (actor)" },
      }),
    },
    async (request) => http(() => adminConsole.audit(parseBody(auditQuery, request.query))),
  );

  app.get(
    "/api/admin/reports",
    {
      ...admin,
      ...routeDocs({
        summary: "Reports: open ones oldest first, resolved ones newest first",
        tags,
        auth: true,
        querystring: reportListSchema,
        responses: { 200: "ReportView[]" },
      }),
    },
    async (request) => moderation.store.reports(parseBody(reportListSchema, request.query).status),
  );

  app.post<WithId>(
    "/api/admin/reports/:id/resolve",
    {
      ...admin,
      ...routeDocs({
        summary: "Resolve an open report",
        tags,
        auth: true,
        params: { id: "the report's id" },
        body: resolveBody,
        responses: { 200: "ReportView", 404: "report_not_found", 409: "already_resolved" },
      }),
    },
    async (request) => {
      const { resolution } = parseBody(resolveBody, request.body);
      return http(() => adminConsole.resolveReport(request.params.id, actor(request), resolution));
    },
  );

  app.get(
    "/api/admin/stats/history",
    {
      ...admin,
      ...routeDocs({
        summary: "Players online per game server over the last hour",
        tags,
        auth: true,
        responses: { 200: "StatsHistory" },
      }),
    },
    async () => history(),
  );
}
