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

/** Lost seats still remembered here (each for REMEMBER_MS): what the leak test counts. With Redis
 * they are kept there instead, where they expire by themselves. */
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
  await rememberLostSeat(hub, room.server, user.id, { roomId: room.id, title: room.title, at: Date.now() });

  const left = result.room;
  if (left?.state === "in_game" && left.members.length < 2) {
    const ended = await hub.store.endGame(left.hostId);
    nsp.to(waitingRoom(ended.id)).emit("game:ended", { roomId: ended.id });
    hub.announceRoom(ended);
    for (const member of ended.members) await hub.publishLocation(ended.server, member.id);
  }
}

/** With Redis the player may come back on another node: the lost seat is kept there. */
const redisKey = (hub: LobbyHub, server: string, userId: string) =>
  `${hub.ctx.config.redisPrefix}lobby:lost-seat:${key(server, userId)}`;

async function rememberLostSeat(
  hub: LobbyHub,
  server: string,
  userId: string,
  seat: LostSeat,
): Promise<void> {
  const { redis } = hub.ctx.cluster;
  if (redis) {
    await redis.set(redisKey(hub, server, userId), JSON.stringify(seat), "PX", REMEMBER_MS);
    return;
  }
  forgetOld(hub, seat.at).set(key(server, userId), seat);
}

/** The seat lost since the player's last visit, if any; told once. */
export async function takeLostSeat(
  hub: LobbyHub,
  server: string,
  userId: string,
): Promise<{ roomId: string; title: string } | null> {
  const { redis } = hub.ctx.cluster;
  let seat: LostSeat | undefined;
  if (redis) {
    const raw = await redis.getdel(redisKey(hub, server, userId));
    seat = raw ? (JSON.parse(raw) as LostSeat) : undefined;
  } else {
    const seats = seatsOf(hub);
    seat = seats.get(key(server, userId));
    seats.delete(key(server, userId));
  }
  if (!seat || Date.now() - seat.at > REMEMBER_MS) return null;
  return { roomId: seat.roomId, title: seat.title };
}
