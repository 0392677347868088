import { ErrorCode, type UserRef } from "@rally/protocol";
import { verifyPassword, hashPassword } from "../auth/passwords.js";
import { AppError } from "../realtime/app-error.js";
import type { HandlerTable } from "../realtime/handle.js";
import { slugOf, waitingRoom } from "../types.js";
import { historyFor, postChat } from "./chat.js";
import type { LobbyHub } from "./hub.js";
import { gameMoveHandlers } from "./game-moves.js";
import { inviteHandlers } from "./invites.js";
import { type JoinGate, type Room, roomChatKey, roomSummary, roomView } from "./store.js";

export { roomChatKey } from "./store.js";

/** Seats a user in a room (gate checked by the store) and tells everyone concerned. */
export async function seatInRoom(
  hub: LobbyHub,
  roomId: string,
  user: UserRef,
  gate: JoinGate,
): Promise<Room> {
  const room = await hub.store.joinRoom(roomId, user, gate);
  hub.moveSockets(room.server, user.id, [], [waitingRoom(room.id)]);
  hub.announceRoom(room);
  await hub.publishLocation(room.server, user.id);
  return room;
}

const me = (ctx: { userId: string; username: string }): UserRef => ({ id: ctx.userId, name: ctx.username });

/**
 * Room events of every game server, built once and shared by all their sockets: the server is
 * the sending socket's namespace.
 */
export function roomHandlers(hub: LobbyHub): HandlerTable {
  return {
    "room:create": async (input, ctx) => {
      const slug = slugOf(ctx.socket);
      const server = await hub.catalog.get(slug);
      if (server?.status !== "open") throw new AppError(ErrorCode.server_closed, "This server is closed");
      if (hub.maintenance(server)) {
        throw new AppError(
          ErrorCode.maintenance,
          "The server is going down for maintenance; rooms cannot be created",
        );
      }
      const passwordHash =
        input.visibility === "private" && input.password ? await hashPassword(input.password) : null;
      const room = await hub.store.createRoom(
        {
          server: slug,
          title: input.title,
          mode: input.mode,
          visibility: input.visibility,
          maxPlayers: input.maxPlayers,
          passwordHash,
        },
        me(ctx),
      );
      hub.moveSockets(slug, ctx.userId, [], [waitingRoom(room.id)]);
      hub.toServer(slug, "room:created", roomSummary(room));
      await hub.publishLocation(slug, ctx.userId);
      return roomView(room);
    },

    "room:join": async ({ roomId, password }, ctx) => {
      const slug = slugOf(ctx.socket);
      const existing = await hub.store.getRoom(roomId);
      if (!existing || existing.server !== slug)
        throw new AppError(ErrorCode.room_not_found, "That room no longer exists");
      let gate: JoinGate = { kind: "public" };
      if (existing.visibility === "private") {
        const passwordOk =
          password !== undefined &&
          (await hub.passwordAttempts.check(ctx.userId, roomId, () =>
            verifyPassword(existing.passwordHash, password),
          ));
        gate = { kind: "password", passwordOk };
      }
      const room = await seatInRoom(hub, roomId, me(ctx), gate);
      return { ...roomView(room), history: await historyFor(hub, roomChatKey(room.id), ctx.userId) };
    },

    "room:leave": async (_payload, { userId }) => {
      const room = await hub.store.roomOf(userId);
      const result = await hub.store.leaveRoom(userId);
      if (!room) return;
      hub.moveSockets(room.server, userId, [waitingRoom(room.id)], []);
      hub.announceLeave(room.server, room.id, result);
      await hub.publishLocation(room.server, userId);
    },

    "room:kick": async ({ userId: targetId }, { userId }) => {
      const room = await hub.store.roomOf(userId);
      const result = await hub.store.kick(room?.id ?? "", userId, targetId);
      if (!room) return;
      hub.nsp(room.server).to(`user:${targetId}`).emit("room:kicked", { roomId: room.id });
      hub.moveSockets(room.server, targetId, [waitingRoom(room.id)], []);
      hub.announceLeave(room.server, room.id, result);
      await hub.publishLocation(room.server, targetId);
    },

    "room:update": async (input, { userId }) => {
      const current = await hub.store.roomOf(userId);
      const passwordHash = input.password !== undefined ? await hashPassword(input.password) : undefined;
      const room = await hub.store.updateRoom(current?.id ?? "", userId, {
        title: input.title,
        maxPlayers: input.maxPlayers,
        visibility: input.visibility,
        passwordHash,
      });
      hub.announceRoom(room);
      return roomView(room);
    },

    "room:ready": async ({ ready }, { userId }) => {
      hub.announceRoom(await hub.store.setReady(userId, ready));
    },

    "room:start": async (_payload, { userId }) => {
      const room = await hub.store.startGame(userId);
      const roster = room.members.map((m) => ({ id: m.id, name: m.name }));
      hub.nsp(room.server).to(waitingRoom(room.id)).emit("game:started", { roomId: room.id, roster });
      hub.announceRoom(room);
      for (const member of room.members) await hub.publishLocation(room.server, member.id);
    },

    "room:end": async (_payload, { userId }) => {
      const room = await hub.store.endGame(userId);
      hub.nsp(room.server).to(waitingRoom(room.id)).emit("game:ended", { roomId: room.id });
      hub.announceRoom(room);
      for (const member of room.members) await hub.publishLocation(room.server, member.id);
    },

    "room:chat": async ({ text }, ctx) => {
      const { socket } = ctx;
      const room = await hub.store.roomOf(ctx.userId);
      if (!room || room.server !== slugOf(socket))
        throw new AppError(ErrorCode.not_in_room, "Join a room on this server first");
      const { message, except } = await postChat(hub, roomChatKey(room.id), text, ctx);
      socket
        .to(waitingRoom(room.id))
        .except(except)
        .emit("room:message_posted", { ...message, roomId: room.id });
      return message;
    },

    ...inviteHandlers(hub),
    ...gameMoveHandlers(hub),
  };
}
