import type { UserRef } from "@rally/protocol";
import { waitingRoom } from "../types.js";
import type { LobbyHub } from "./hub.js";
import type { Room } from "./store.js";

interface LostSeat {
  roomId: string;
  title: string;
  at: number;
}

/** How long a lost seat is remembered for the player's return; after that it is old news. */
const REMEMBER_MS = 10 * 60_000;
const lostSeats = new WeakMap<LobbyHub, Map<string, LostSeat>>();
const key = (server: string, userId: string) => `${server}|${userId}`;

function seatsOf(hub: LobbyHub): Map<string, LostSeat> {
  const map = lostSeats.get(hub) ?? new Map<string, LostSeat>();
  lostSeats.set(hub, map);
  return map;
}

function forgetOld(hub: LobbyHub, now: number): Map<string, LostSeat> {
  const seats = seatsOf(hub);
  for (const [k, seat] of seats) if (now - seat.at > REMEMBER_MS) seats.delete(k);
  return seats;
}

/** Lost seats still remembered (each for REMEMBER_MS): what the leak test counts. */
export function lostSeatCount(hub: LobbyHub): number {
  return forgetOld(hub, Date.now()).size;
}

/**
 * Frees the seat of a player who stayed away past the grace window: the room is told, the player
 * will be told on return (`restored.seatLost`), and a game left with one player ends, so the room
 * does not play on as "in game" with nobody to play against.
 */
export async function freeSeatAfterGrace(hub: LobbyHub, user: UserRef, room: Room): Promise<void> {
  const nsp = hub.nsp(room.server);
  const result = await hub.store.leaveRoom(user.id);
  nsp.to(waitingRoom(room.id)).emit("room:seat_freed", { roomId: room.id, user });
  hub.announceLeave(room.server, room.id, result);
  const seats = forgetOld(hub, Date.now());
  const now = Date.now();
  seats.set(key(room.server, user.id), { roomId: room.id, title: room.title, at: now });

  const left = result.room;
  if (left?.state === "in_game" && left.members.length < 2) {
    const ended = await hub.store.endGame(left.hostId);
    nsp.to(waitingRoom(ended.id)).emit("game:ended", { roomId: ended.id });
    hub.announceRoom(ended);
    for (const member of ended.members) await hub.publishLocation(ended.server, member.id);
  }
}

/** The seat lost since the player's last visit, if any; told once. */
export function takeLostSeat(
  hub: LobbyHub,
  server: string,
  userId: string,
): { roomId: string; title: string } | null {
  const seats = seatsOf(hub);
  const seat = seats.get(key(server, userId));
  seats.delete(key(server, userId));
  if (!seat || Date.now() - seat.at > REMEMBER_MS) return null;
  return { roomId: seat.roomId, title: seat.title };
}
