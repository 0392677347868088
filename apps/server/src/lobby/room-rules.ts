import { ErrorCode, Limits, type UserRef } from "@rally/protocol";
import { AppError } from "../realtime/app-error.js";
import type { JoinGate, LeaveResult, Room, RoomSettings } from "./store.js";

/**
 * The waiting-room rules as functions of a room value: they check, then change the room in place.
 * A store that cannot hold rooms in memory (Redis) reads a room, applies these, and commits.
 */
export function checkJoin(room: Room, userId: string, gate: JoinGate): void {
  if (room.kicked.includes(userId))
    throw new AppError(ErrorCode.kicked_from_room, "You were kicked from this room");
  if (room.state === "in_game") throw new AppError(ErrorCode.room_in_game, "That room is in a game");
  if (gate.kind !== "invite") {
    if (room.visibility === "invite_only")
      throw new AppError(ErrorCode.invite_only, "That room is invite-only");
    if (room.visibility === "private" && !(gate.kind === "password" && gate.passwordOk)) {
      throw new AppError(ErrorCode.wrong_password, "Wrong room password");
    }
  }
  if (room.members.length >= room.maxPlayers) throw new AppError(ErrorCode.room_full, "That room is full");
}

export function addMember(room: Room, user: UserRef): void {
  room.members.push({
    id: user.id,
    name: user.name,
    ready: false,
    reconnecting: false,
    joinedAt: Date.now(),
  });
}

/** Removes the member; the next in arrival order becomes host. `room: null` when it emptied. */
export function removeMember(room: Room, userId: string): LeaveResult {
  room.members = room.members.filter((m) => m.id !== userId);
  if (room.members.length === 0) return { room: null, removed: true, newHost: null };
  let newHost: UserRef | null = null;
  if (room.hostId === userId) {
    const next = room.members[0]!;
    room.hostId = next.id;
    newHost = { id: next.id, name: next.name };
  }
  return { room, removed: false, newHost };
}

export function checkHost(room: Room | null, hostId: string): Room {
  if (!room?.members.some((m) => m.id === hostId))
    throw new AppError(ErrorCode.not_in_room, "You are not in that room");
  if (room.hostId !== hostId) throw new AppError(ErrorCode.not_host, "Only the host can do that");
  return room;
}

export function applySettings(room: Room, settings: RoomSettings): void {
  if (settings.maxPlayers !== undefined && settings.maxPlayers < room.members.length) {
    throw new AppError(ErrorCode.max_below_count, `The room already has ${room.members.length} players`);
  }
  const visibility = settings.visibility ?? room.visibility;
  const passwordHash = settings.passwordHash !== undefined ? settings.passwordHash : room.passwordHash;
  if (visibility === "private" && !passwordHash) {
    throw new AppError(ErrorCode.invalid_payload, "password: a private room needs a password", "password");
  }
  if (settings.title !== undefined) room.title = settings.title;
  if (settings.maxPlayers !== undefined) room.maxPlayers = settings.maxPlayers;
  room.visibility = visibility;
  room.passwordHash = visibility === "private" ? passwordHash : null;
}

export function start(room: Room): void {
  if (room.state === "in_game") throw new AppError(ErrorCode.room_in_game, "The game has already started");
  if (room.members.length < Limits.roomPlayersMin) {
    throw new AppError(
      ErrorCode.not_enough_players,
      `A game needs at least ${Limits.roomPlayersMin} players`,
    );
  }
  if (room.members.some((m) => m.id !== room.hostId && !m.ready)) {
    throw new AppError(ErrorCode.players_not_ready, "Every player must be ready");
  }
  room.state = "in_game";
}

export function end(room: Room): void {
  if (room.state !== "in_game") throw new AppError(ErrorCode.not_in_game, "No game is running");
  room.state = "waiting";
  for (const member of room.members) member.ready = false;
}

export function setReady(room: Room, userId: string, ready: boolean): void {
  if (room.state === "in_game") throw new AppError(ErrorCode.room_in_game, "The game has already started");
  room.members.find((m) => m.id === userId)!.ready = ready;
}
