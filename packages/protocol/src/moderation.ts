import { z } from "zod";
import { emptyPayload } from "./empty.js";
import type { UserRef } from "./auth.js";
import type { AckCallback } from "./errors.js";
import type { ChatMessage } from "./lobby.js";
import { Limits } from "./limits.js";
import type { Location } from "./social.js";

const userId = z.string().min(1).max(64);
const reason = z
  .string()
  .transform((s) => s.trim())
  .pipe(z.string().min(1).max(Limits.moderationReasonMax));
const seconds = (max: number) => z.number().int().min(Limits.sanctionMinSeconds).max(max);

export const muteSchema = z.object({ userId, durationSeconds: seconds(Limits.muteMaxSeconds), reason });
/** No `durationSeconds` (or null) bans for good. */
export const banSchema = z.object({
  userId,
  durationSeconds: seconds(Limits.banMaxSeconds).nullable().optional(),
  reason,
});
export const liftSchema = z.object({ userId, reason: reason.optional() });
export const playerSearchSchema = z.object({ query: z.string().trim().min(1).max(20) });
export const auditQuerySchema = z.object({
  actor: z.string().trim().min(1).max(64).optional(),
  action: z.string().trim().min(1).max(64).optional(),
  target: z.string().trim().min(1).max(64).optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  until: z.iso.datetime({ offset: true }).optional(),
  limit: z.number().int().min(1).max(500).optional(),
});
export const reportListSchema = z.object({ status: z.enum(["open", "resolved"]).default("open") });
export const resolveReportSchema = z.object({
  id: z.string().min(1).max(64),
  resolution: z
    .string()
    .transform((s) => s.trim())
    .pipe(z.string().min(1).max(Limits.moderationReasonMax)),
});

export const moderationAdminSchemas = {
  "moderation:mute": muteSchema,
  "moderation:unmute": liftSchema,
  "moderation:ban": banSchema,
  "moderation:unban": liftSchema,
  "players:search": playerSearchSchema,
  "player:get": z.object({ userId }),
  "audit:list": auditQuerySchema,
  "reports:list": reportListSchema,
  "reports:resolve": resolveReportSchema,
  "stats:history": emptyPayload,
} as const;

/** Player reports: a chat line seen on this game server (channel or room), or a player. */
export const reportSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("message"), messageId: z.string().min(1).max(64), reason }),
  z.object({ kind: z.literal("player"), userId, reason }),
]);

export const reportSchemas = { "report:create": reportSchema } as const;

export const ignoreSchemas = {
  "ignore:add": z.object({ userId }),
  "ignore:remove": z.object({ userId }),
  "ignore:list": emptyPayload,
} as const;

export interface SanctionView {
  id: string;
  kind: "mute" | "ban";
  reason: string;
  /** null: for good. */
  expiresAt: string | null;
  createdAt: string;
  actor: UserRef | null;
}

export interface AuditEntryView {
  id: string;
  action: string;
  actor: UserRef | null;
  target: string | null;
  /** The target's name when the target is a player. */
  targetName: string | null;
  detail: unknown;
  at: string;
}

export interface PlayerSummary extends UserRef {
  role: "player" | "admin";
  status: "online" | "offline";
}

export interface PlayerDetail extends PlayerSummary {
  location: Location | null;
  friendsCount: number;
  mute: SanctionView | null;
  ban: SanctionView | null;
  createdAt: string;
  audit: AuditEntryView[];
}

export interface ReportView {
  id: string;
  kind: "message" | "player";
  reporter: UserRef;
  target: UserRef;
  reason: string;
  /** For a message report: the line, where it was said, and the lines around it at report time. */
  message: (ChatMessage & { where: string }) | null;
  context: ChatMessage[];
  status: "open" | "resolved";
  resolution: string | null;
  resolvedBy: UserRef | null;
  createdAt: string;
}

export interface StatsHistory {
  /** Seconds between samples. */
  intervalSeconds: number;
  /** Oldest first: time and population per server slug. */
  samples: { at: string; servers: Record<string, number> }[];
}

type In<K extends keyof typeof moderationAdminSchemas> = z.input<(typeof moderationAdminSchemas)[K]>;
type Empty = Record<string, never> | undefined;

/** Namespace `/admin`: moderation, player search, audit log and reports. */
export interface ModerationAdminEvents {
  "moderation:mute": (payload: In<"moderation:mute">, ack: AckCallback<SanctionView>) => void;
  "moderation:unmute": (payload: In<"moderation:unmute">, ack: AckCallback) => void;
  "moderation:ban": (payload: In<"moderation:ban">, ack: AckCallback<SanctionView>) => void;
  "moderation:unban": (payload: In<"moderation:unban">, ack: AckCallback) => void;
  "players:search": (payload: In<"players:search">, ack: AckCallback<PlayerSummary[]>) => void;
  "player:get": (payload: In<"player:get">, ack: AckCallback<PlayerDetail>) => void;
  "audit:list": (payload: In<"audit:list">, ack: AckCallback<AuditEntryView[]>) => void;
  "reports:list": (payload: In<"reports:list">, ack: AckCallback<ReportView[]>) => void;
  "reports:resolve": (payload: In<"reports:resolve">, ack: AckCallback<ReportView>) => void;
  "stats:history": (payload: Empty, ack: AckCallback<StatsHistory>) => void;
}

export interface ModerationAdminServerEvents {
  /** A player filed a report (to every admin). */
  "report:created": (payload: ReportView) => void;
  "report:resolved": (payload: ReportView) => void;
}

/** On `/servers/<slug>`. */
export interface ReportClientEvents {
  "report:create": (payload: z.input<typeof reportSchema>, ack: AckCallback<{ reportId: string }>) => void;
}

/** On `/`. */
export interface IgnoreClientEvents {
  "ignore:add": (payload: { userId: string }, ack: AckCallback) => void;
  "ignore:remove": (payload: { userId: string }, ack: AckCallback) => void;
  "ignore:list": (payload: Empty, ack: AckCallback<UserRef[]>) => void;
}

/** On `/`, to the sanctioned player's every connection. */
export interface SanctionServerEvents {
  "account:muted": (payload: { reason: string; expiresAt: string }) => void;
  "account:unmuted": (payload: Record<string, never>) => void;
  /** Sent just before the player's connections are closed. */
  "account:banned": (payload: { reason: string; expiresAt: string | null }) => void;
}
