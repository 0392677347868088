import crypto from "node:crypto";
import { type ChatMessage, ErrorCode, Limits } from "@rally/protocol";
import { AppError } from "../realtime/app-error.js";
import type { HandlerContext } from "../realtime/handle.js";
import type { LobbyHub } from "./hub.js";

/** Rate-limits and records one chat message; the caller broadcasts it. */
export async function postChat(
  hub: LobbyHub,
  key: string,
  text: string,
  ctx: HandlerContext,
): Promise<ChatMessage> {
  const allowed = await hub.store.hitRate(
    `chat|${ctx.userId}`,
    Limits.chatBurst,
    Limits.chatWindowMs,
    Date.now(),
  );
  if (!allowed) {
    const error = new AppError(
      ErrorCode.rate_limited,
      `At most ${Limits.chatBurst} messages in a burst, then one every ${Limits.chatWindowMs / Limits.chatBurst / 1000} s`,
    );
    error.retryAfterMs = Limits.chatWindowMs / Limits.chatBurst;
    throw error;
  }
  const message: ChatMessage = {
    id: crypto.randomUUID(),
    from: { id: ctx.userId, name: ctx.username },
    text,
    at: new Date().toISOString(),
  };
  await hub.store.appendChat(key, message, Limits.chatHistory);
  return message;
}
