import crypto from "node:crypto";
import { type ChatMessage, ErrorCode, Limits } from "@rally/protocol";
import { AppError } from "../realtime/app-error.js";
import type { HandlerContext } from "../realtime/handle.js";
import { personalRoom } from "../types.js";
import type { LobbyHub } from "./hub.js";

/**
 * Checks the sender may chat (not muted, within the rate), masks filtered words and records the
 * line. Returns it with the personal rooms to leave out of the broadcast: the sender's ignorers.
 */
export async function postChat(
  hub: LobbyHub,
  key: string,
  text: string,
  ctx: HandlerContext,
): Promise<{ message: ChatMessage; except: string[] }> {
  const { moderation } = hub.ctx;
  await moderation.assertCanChat(ctx.userId);
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
    text: moderation.mask(text),
    at: new Date().toISOString(),
  };
  await hub.store.appendChat(key, message, Limits.chatHistory);
  return { message, except: (await moderation.ignorersOf(ctx.userId)).map(personalRoom) };
}

/** A chat history as this player may see it: without the lines of players they ignore. */
export async function historyFor(hub: LobbyHub, key: string, userId: string): Promise<ChatMessage[]> {
  const history = await hub.store.chatHistory(key);
  // A quiet channel needs no ignore list: a storm of joins into empty channels costs no query.
  if (history.length === 0) return history;
  const ignored = await hub.ctx.moderation.ignoredBy(userId);
  return ignored.size === 0 ? history : history.filter((line) => !ignored.has(line.from.id));
}
