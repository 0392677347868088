import { z } from "zod";
import { emptyPayload } from "./empty.js";
import type { UserRef } from "./auth.js";
import type { AckCallback } from "./errors.js";
import { Limits } from "./limits.js";

export const Severities = ["info", "warning", "critical"] as const;
export type Severity = (typeof Severities)[number];

export type NoticeScope =
  | { kind: "all" }
  | { kind: "server"; server: string }
  | { kind: "channel"; server: string; channel: number };

export interface NoticeView {
  id: string;
  text: string;
  severity: Severity;
  scope: NoticeScope;
  kind: "notice" | "maintenance";
  startsAt: string;
  expiresAt: string | null;
  author: UserRef;
  createdAt: string;
}

export const noticeScopeSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("all") }),
  z.object({ kind: z.literal("server"), server: z.string().min(1).max(64) }),
  z.object({
    kind: z.literal("channel"),
    server: z.string().min(1).max(64),
    channel: z.number().int().min(1),
  }),
]);

export const createNoticeSchema = z.object({
  text: z
    .string()
    .transform((s) => s.trim())
    .pipe(z.string().min(1).max(Limits.noticeTextMax)),
  severity: z.enum(Severities),
  scope: noticeScopeSchema,
  startsAt: z.iso.datetime({ offset: true }).optional(),
  expiresAt: z.iso.datetime({ offset: true }).optional(),
});
export type CreateNotice = z.input<typeof createNoticeSchema>;

export const maintenanceSchema = z.object({
  server: z.string().min(1).max(64),
  countdownSeconds: z
    .number()
    .int()
    .min(1)
    .max(24 * 3600),
  text: z
    .string()
    .transform((s) => s.trim())
    .pipe(z.string().min(1).max(Limits.noticeTextMax))
    .optional(),
});

export const adminSchemas = {
  "notices:create": createNoticeSchema,
  "notices:list": emptyPayload,
  "notices:delete": z.object({ id: z.string().min(1).max(64) }),
  "maintenance:start": maintenanceSchema,
  "maintenance:cancel": z.object({ server: z.string().min(1).max(64) }),
  "stats:get": emptyPayload,
} as const;

/** Delivered on `/` (scope all) and on `/servers/<slug>` (scope server or channel). */
export interface NoticeServerEvents {
  /** Sent on connect: the notices active for this namespace (a channel's come as notice:posted on join). */
  "notices:snapshot": (payload: NoticeView[]) => void;
  "notice:posted": (payload: NoticeView) => void;
  "notice:removed": (payload: { id: string }) => void;
}

export interface LiveStats {
  servers: {
    slug: string;
    status: string;
    population: number;
    channels: { channel: number; population: number }[];
    rooms: number;
  }[];
  at: string;
}

/** Namespace `/admin`: admins only. */
export interface AdminClientEvents {
  "notices:create": (payload: CreateNotice, ack: AckCallback<NoticeView>) => void;
  "notices:list": (payload: Record<string, never> | undefined, ack: AckCallback<NoticeView[]>) => void;
  "notices:delete": (payload: { id: string }, ack: AckCallback) => void;
  "maintenance:start": (payload: z.input<typeof maintenanceSchema>, ack: AckCallback<NoticeView>) => void;
  "maintenance:cancel": (payload: { server: string }, ack: AckCallback) => void;
  "stats:get": (payload: Record<string, never> | undefined, ack: AckCallback<LiveStats>) => void;
}

export interface AdminServerEvents {
  "stats:updated": (payload: LiveStats) => void;
}

export type { UserRef };
