import { createNoticeSchema } from "@rally/protocol";
import type { FastifyInstance } from "fastify";
import type { AppContext } from "../context.js";
import { HttpError, parseBody } from "../http/errors.js";
import { routeDocs } from "../http/route-docs.js";
import { AppError } from "../realtime/app-error.js";
import type { NoticeService } from "./service.js";

const STATUS: Record<string, number> = { not_found: 404, maintenance: 409, server_closed: 409 };

/** Refusals from the service keep their code; HTTP picks the status. */
async function http<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof AppError)
      throw new HttpError(STATUS[error.code] ?? 400, error.code, error.message, error.field);
    throw error;
  }
}

export async function noticeRoutes(
  app: FastifyInstance,
  ctx: AppContext,
  notices: NoticeService,
): Promise<void> {
  const tags = ["notices"];
  const admin = (docs: Omit<Parameters<typeof routeDocs>[0], "tags" | "auth">) => ({
    preHandler: ctx.requireAdmin,
    ...routeDocs({ ...docs, tags, auth: true }),
  });
  app.get(
    "/api/admin/notices",
    admin({
      summary: "Notices, not deleted, newest first",
      responses: { 200: "NoticeView[]", 403: "forbidden" },
    }),
    async () => notices.store.list(),
  );

  const posted = { 201: "NoticeView", 400: "invalid_payload", 403: "forbidden" };
  app.post(
    "/api/admin/notices",
    admin({ summary: "Post or schedule a notice", body: createNoticeSchema, responses: posted }),
    async (request, reply) => {
      const input = parseBody(createNoticeSchema, request.body);
      const notice = await http(() => notices.create(input, request.auth!.user.id));
      return reply.code(201).send(notice);
    },
  );

  app.delete<{ Params: { id: string } }>(
    "/api/admin/notices/:id",
    admin({
      summary: "Remove a notice (players get notice:removed)",
      params: { id: "the notice's id" },
      responses: { 204: "removed", 404: "not_found" },
    }),
    async (request, reply) => {
      await http(() => notices.remove(request.params.id, request.auth!.user.id));
      return reply.code(204).send();
    },
  );
}
