import { createNoticeSchema } from "@rally/protocol";
import type { FastifyInstance } from "fastify";
import type { AppContext } from "../context.js";
import { HttpError, parseBody } from "../http/errors.js";
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
  app.get("/api/admin/notices", { preHandler: ctx.requireAdmin }, async () => notices.store.list());

  app.post("/api/admin/notices", { preHandler: ctx.requireAdmin }, async (request, reply) => {
    const input = parseBody(createNoticeSchema, request.body);
    const notice = await http(() => notices.create(input, request.auth!.user.id));
    return reply.code(201).send(notice);
  });

  app.delete<{ Params: { id: string } }>(
    "/api/admin/notices/:id",
    { preHandler: ctx.requireAdmin },
    async (request, reply) => {
      await http(() => notices.remove(request.params.id, request.auth!.user.id));
      return reply.code(204).send();
    },
  );
}
