import crypto from "node:crypto";
import { ErrorCode, type InviteOutcome } from "@rally/protocol";
import { areFriends } from "../friends/graph.js";
import { AppError } from "../realtime/app-error.js";
import type { HandlerTable } from "../realtime/handle.js";
import { personalRoom, slugOf } from "../types.js";
import type { LobbyHub } from "./hub.js";
import { seatInRoom } from "./room-handlers.js";
import { roomSummary } from "./store.js";

async function inviteeName(hub: LobbyHub, userId: string): Promise<string> {
  const user = await hub.ctx.db.user.findUnique({ where: { id: userId }, select: { username: true } });
  return user?.username ?? "";
}

/**
 * `room:invite` asks the invitee's sockets on this server, with a timeout, whether they accept.
 * The inviter's reply comes at once (the invite id); the outcome follows as `invite:answered`.
 */
export function inviteHandlers(hub: LobbyHub): HandlerTable {
  return {
    "room:invite": async ({ userId: inviteeId }, { socket, userId, username }) => {
      const slug = slugOf(socket);
      const room = await hub.store.roomOf(userId);
      if (!room || room.server !== slug)
        throw new AppError(ErrorCode.not_in_room, "Join a room on this server first");
      if (inviteeId === userId || !(await areFriends(hub.ctx.db, userId, inviteeId))) {
        throw new AppError(ErrorCode.not_friends, "You can only invite your friends");
      }
      if (room.members.some((m) => m.id === inviteeId))
        throw new AppError(ErrorCode.already_in_room, "Already in your room");
      // Refused before delivery: accepting could never seat them, so the invite must not be shown.
      if (room.kicked.includes(inviteeId))
        throw new AppError(ErrorCode.kicked_from_room, "That player was kicked from this room");
      // The registry answers for every node; the invite itself goes out through the adapter.
      if ((await hub.ctx.cluster.registry.count(hub.nsp(slug).name, inviteeId)) === 0)
        throw new AppError(ErrorCode.invitee_offline, "That friend is not on this server");
      const invitee = { data: { username: await inviteeName(hub, inviteeId) } };
      const inviteId = crypto.randomUUID();
      const from = { id: userId, name: username };
      const timeoutMs = hub.ctx.config.inviteTimeoutMs;

      const tell = (outcome: InviteOutcome) =>
        hub
          .nsp(slug)
          .to(personalRoom(userId))
          .emit("invite:answered", {
            inviteId,
            user: { id: inviteeId, name: invitee.data.username },
            outcome,
          });

      // An invitee who ignores the inviter never sees the invite; to the inviter it just expires,
      // as an unanswered one would, so the ignore is not revealed.
      if ((await hub.ctx.moderation.ignorersOf(userId)).includes(inviteeId)) {
        setTimeout(() => tell("expired"), timeoutMs).unref();
        return { inviteId };
      }
      hub
        .nsp(slug)
        .to(personalRoom(inviteeId))
        .timeout(timeoutMs)
        .emit(
          "invite:received",
          { inviteId, room: roomSummary(room), from, expiresInMs: timeoutMs },
          async (error: Error | null, replies: { accept?: unknown }[]) => {
            const accepted = replies.some((reply) => reply?.accept === true);
            if (!accepted) return tell(error && replies.length === 0 ? "expired" : "declined");
            try {
              await seatInRoom(
                hub,
                room.id,
                { id: inviteeId, name: invitee.data.username },
                { kind: "invite" },
              );
              tell("accepted");
            } catch (failure) {
              // The room filled up or closed meanwhile: the invitee is told why, the inviter sees a decline.
              const code = failure instanceof AppError ? failure.code : ErrorCode.internal;
              hub.nsp(slug).to(personalRoom(inviteeId)).emit("invite:failed", { inviteId, code });
              tell("declined");
            }
          },
        );
      return { inviteId };
    },
  };
}
