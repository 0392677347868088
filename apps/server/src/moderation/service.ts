import { type ErrorBody, ErrorCode, Namespaces, type SanctionView } from "@rally/protocol";
import type { AppContext, ModerationHooks } from "../context.js";
import { AppError } from "../realtime/app-error.js";
import { personalRoom } from "../types.js";
import { timeLeft } from "./durations.js";
import { wordMask } from "./filter.js";
import type { ModerationStore, SanctionKind } from "./store.js";

/** The closing `account:banned` gets a moment to leave before the connections are cut. */
const BANNED_NOTICE_MS = 100;

export interface SanctionInput {
  userId: string;
  reason: string;
  /** null: for good (bans only). */
  durationSeconds: number | null;
}

export function banMessage(ban: SanctionView): string {
  const until = ban.expiresAt ? `until ${ban.expiresAt}` : "for good";
  return `You are banned ${until}: ${ban.reason}`;
}

/**
 * Mutes and bans: the rules (no self-sanction, never lock out the last admin), the audit trail,
 * and what the sanctioned player is told. Everything reads the database, so every node agrees.
 */
export class ModerationService implements ModerationHooks {
  readonly mask: (text: string) => string;

  constructor(
    private readonly ctx: AppContext,
    readonly store: ModerationStore,
  ) {
    this.mask = wordMask(ctx.config.chatFilterWords);
  }

  async refusal(userId: string): Promise<ErrorBody | null> {
    const ban = await this.store.active(userId, "ban");
    return ban ? { code: ErrorCode.banned, message: banMessage(ban) } : null;
  }

  async assertCanChat(userId: string): Promise<void> {
    const mute = await this.store.active(userId, "mute");
    if (!mute?.expiresAt) return;
    throw new AppError(
      ErrorCode.muted,
      `You are muted for ${timeLeft(new Date(mute.expiresAt))} more: ${mute.reason}`,
    );
  }

  ignorersOf(userId: string): Promise<string[]> {
    return this.store.ignorerIds(userId);
  }

  ignoredBy(userId: string): Promise<Set<string>> {
    return this.store.ignoredIds(userId);
  }

  /** Refusals that say something about the actor's intent are audited; typos are not. */
  private async refuse(action: string, actorId: string, target: string, error: AppError): Promise<never> {
    await this.ctx.audit("moderation.refused", actorId, target, { action, code: error.code });
    throw error;
  }

  private async target(actorId: string, userId: string, action: string) {
    const user = await this.ctx.accounts.findById(userId);
    if (!user) throw new AppError(ErrorCode.user_not_found, "No such player");
    if (userId === actorId) {
      await this.refuse(
        action,
        actorId,
        userId,
        new AppError(ErrorCode.cannot_moderate_self, "Not on yourself"),
      );
    }
    return user;
  }

  async mute(actorId: string, input: SanctionInput): Promise<SanctionView> {
    await this.target(actorId, input.userId, "mute");
    const expiresAt = new Date(Date.now() + input.durationSeconds! * 1000);
    const mute = await this.store.impose("mute", input.userId, actorId, input.reason, expiresAt);
    await this.ctx.audit("player.muted", actorId, input.userId, {
      reason: input.reason,
      durationSeconds: input.durationSeconds,
      expiresAt: mute.expiresAt,
    });
    this.ctx.io
      .of(Namespaces.social)
      .to(personalRoom(input.userId))
      .emit("account:muted", { reason: mute.reason, expiresAt: mute.expiresAt! });
    return mute;
  }

  async ban(actorId: string, input: SanctionInput): Promise<SanctionView> {
    const user = await this.target(actorId, input.userId, "ban");
    if (user.role === "admin") {
      const others = (await this.store.activeAdminIds()).filter((id) => id !== user.id);
      if (others.length === 0) {
        await this.refuse(
          "ban",
          actorId,
          user.id,
          new AppError(ErrorCode.last_admin, "That is the last admin who is not banned"),
        );
      }
    }
    const expiresAt =
      input.durationSeconds === null ? null : new Date(Date.now() + input.durationSeconds * 1000);
    const ban = await this.store.impose("ban", user.id, actorId, input.reason, expiresAt);
    await this.ctx.audit("player.banned", actorId, user.id, {
      reason: input.reason,
      durationSeconds: input.durationSeconds,
      expiresAt: ban.expiresAt,
    });
    this.ctx.io
      .of(Namespaces.social)
      .to(personalRoom(user.id))
      .emit("account:banned", { reason: ban.reason, expiresAt: ban.expiresAt });
    await new Promise((resolve) => setTimeout(resolve, BANNED_NOTICE_MS));
    this.disconnectUser(user.id);
    return ban;
  }

  async lift(kind: SanctionKind, actorId: string, userId: string, reason: string | undefined): Promise<void> {
    await this.target(actorId, userId, kind === "mute" ? "unmute" : "unban");
    if (!(await this.store.lift(kind, userId))) {
      throw new AppError(
        ErrorCode.not_sanctioned,
        `That player is not ${kind === "mute" ? "muted" : "banned"}`,
      );
    }
    await this.ctx.audit(kind === "mute" ? "player.unmuted" : "player.unbanned", actorId, userId, {
      reason: reason ?? null,
    });
    if (kind === "mute")
      this.ctx.io.of(Namespaces.social).to(personalRoom(userId)).emit("account:unmuted", {});
  }

  /**
   * Disconnects every socket of the player in every namespace. Room operations go through the
   * adapter, so other nodes drop theirs too. Only existing namespaces are used: naming a game
   * server's namespace here must not create one outside the lobby's matcher.
   */
  private disconnectUser(userId: string): void {
    for (const nsp of this.ctx.io._nsps.values()) nsp.in(personalRoom(userId)).disconnectSockets();
    // Another node may hold game-server namespaces this one never opened: closing the player's
    // `/` connections everywhere (through the adapter) closes what is multiplexed on them too.
    this.ctx.io.of(Namespaces.social).in(personalRoom(userId)).disconnectSockets(true);
  }
}
