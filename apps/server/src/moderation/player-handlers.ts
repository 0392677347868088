import { ErrorCode, Limits, Namespaces, type ReportView, type reportSchema } from "@rally/protocol";
import type { z } from "zod";
import type { AppContext } from "../context.js";
import { AppError } from "../realtime/app-error.js";
import type { HandlerTable } from "../realtime/handle.js";
import { slugOf } from "../types.js";
import type { ModerationStore } from "./store.js";

type ReportInput = z.output<typeof reportSchema>;

/**
 * Files a report. A reported chat line is looked up in what the reporter can see on this server,
 * and copied into the report with the lines around it: the chat history will have moved on by the
 * time an admin reads it.
 */
async function fileReport(
  ctx: AppContext,
  store: ModerationStore,
  reporterId: string,
  slug: string,
  input: ReportInput,
): Promise<ReportView> {
  const since = new Date(Date.now() - Limits.reportWindowMs);
  if ((await store.countReportsSince(reporterId, since)) >= Limits.reportBurst) {
    ctx.log.warn({ userId: reporterId }, "report flood refused");
    // Audited once per window: enough for an admin to see who floods, without flooding the log.
    if (!(await store.auditedSince(reporterId, "report.refused", since))) {
      await ctx.audit("report.refused", reporterId, undefined, { code: ErrorCode.rate_limited });
    }
    throw new AppError(
      ErrorCode.rate_limited,
      `At most ${Limits.reportBurst} reports every ${Limits.reportWindowMs / 60_000} minutes`,
    );
  }
  let targetId: string;
  let line: Awaited<ReturnType<AppContext["gameServers"]["findChatLine"]>> = null;
  if (input.kind === "message") {
    line = await ctx.gameServers.findChatLine(slug, reporterId, input.messageId, Limits.reportContextLines);
    if (!line) throw new AppError(ErrorCode.message_not_found, "That line is no longer in your chat history");
    targetId = line.message.from.id;
  } else {
    if (!(await ctx.accounts.findById(input.userId)))
      throw new AppError(ErrorCode.user_not_found, "No such player");
    targetId = input.userId;
  }
  if (targetId === reporterId)
    throw new AppError(ErrorCode.cannot_moderate_self, "You cannot report yourself");
  const report = await store.createReport({
    kind: input.kind,
    reporterId,
    targetId,
    reason: input.reason,
    message: line ? { ...line.message, where: line.where } : null,
    context: line?.context ?? [],
  });
  await ctx.audit("report.created", reporterId, targetId, { reportId: report.id, kind: input.kind });
  ctx.io.of(Namespaces.admin).emit("report:created", report);
  return report;
}

/** `report:create` on a game server, where the chat is: the one the sending socket is on. */
export function reportHandlers(ctx: AppContext, store: ModerationStore): HandlerTable {
  return {
    "report:create": async (input, { socket, userId }) => ({
      reportId: (await fileReport(ctx, store, userId, slugOf(socket), input)).id,
    }),
  };
}

/** `ignore:*` on `/`: the list is the player's own and nobody is told about it. */
export function ignoreHandlers(ctx: AppContext, store: ModerationStore): HandlerTable {
  return {
    "ignore:add": async ({ userId: ignoredId }, { userId }) => {
      if (ignoredId === userId)
        throw new AppError(ErrorCode.cannot_ignore_self, "You cannot ignore yourself");
      if (!(await ctx.accounts.findById(ignoredId)))
        throw new AppError(ErrorCode.user_not_found, "No such player");
      if ((await store.ignoringCount(userId)) >= Limits.maxIgnored) {
        throw new AppError(ErrorCode.too_many_ignored, `You can ignore at most ${Limits.maxIgnored} players`);
      }
      await store.ignore(userId, ignoredId);
    },
    "ignore:remove": async ({ userId: ignoredId }, { userId }) => {
      if (!(await store.unignore(userId, ignoredId))) {
        throw new AppError(ErrorCode.not_found, "You are not ignoring that player");
      }
    },
    "ignore:list": (_payload, { userId }) => store.ignoring(userId),
  };
}
