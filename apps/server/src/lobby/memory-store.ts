import crypto from "node:crypto";
import { type ChatMessage, ErrorCode, type UserRef } from "@rally/protocol";
import { AppError } from "../realtime/app-error.js";
import * as rules from "./room-rules.js";
import type { JoinGate, LeaveResult, LobbyStore, NewRoom, Room, RoomSettings } from "./store.js";

/**
 * Callers get copies, never the stored objects (as a remote store would give them). Hand-written
 * for the two shapes kept here: structuredClone was the top cost of a room join.
 */
const clone = (room: Room): Room => ({
  ...room,
  members: room.members.map((member) => ({ ...member })),
  kicked: [...room.kicked],
});
const copyMessage = (message: ChatMessage): ChatMessage => ({ ...message, from: { ...message.from } });

/**
 * The single-process LobbyStore. Each method runs its checks and writes without awaiting in
 * between, which is what makes it atomic on Node's single thread.
 */
export class MemoryLobbyStore implements LobbyStore {
  private readonly channels = new Map<string, Map<string, { channel: number; user: UserRef }>>();
  /** The same seats by server and channel, so no join or list scans every player on the server. */
  private readonly byChannel = new Map<string, Map<number, Map<string, UserRef>>>();
  private readonly rooms = new Map<string, Room>();
  private readonly userRoom = new Map<string, string>();
  private readonly chats = new Map<string, ChatMessage[]>();
  /** Token buckets of hitRate, by key; a bucket that has refilled is dropped. */
  private readonly buckets = new Map<string, { tokens: number; at: number; perMs: number; limit: number }>();
  private lastSweep = 0;

  private serverChannels(server: string) {
    let map = this.channels.get(server);
    if (!map) {
      map = new Map();
      this.channels.set(server, map);
    }
    return map;
  }

  private channelSeats(server: string, channel: number): Map<string, UserRef> {
    const channels = this.byChannel.get(server) ?? new Map<number, Map<string, UserRef>>();
    this.byChannel.set(server, channels);
    const seats = channels.get(channel) ?? new Map<string, UserRef>();
    channels.set(channel, seats);
    return seats;
  }

  async joinChannel(server: string, channel: number, capacity: number, user: UserRef) {
    const seats = this.serverChannels(server);
    const previous = seats.get(user.id)?.channel ?? null;
    if (previous === channel) return { previous };
    const members = this.channelSeats(server, channel);
    if (members.size >= capacity) throw new AppError(ErrorCode.channel_full, `Channel ${channel} is full`);
    if (previous !== null) this.channelSeats(server, previous).delete(user.id);
    seats.set(user.id, { channel, user: { id: user.id, name: user.name } });
    members.set(user.id, { id: user.id, name: user.name });
    return { previous };
  }

  async leaveChannel(server: string, userId: string) {
    const seats = this.serverChannels(server);
    const previous = seats.get(userId)?.channel ?? null;
    seats.delete(userId);
    if (previous !== null) this.channelSeats(server, previous).delete(userId);
    return previous;
  }

  async channelOf(server: string, userId: string) {
    return this.serverChannels(server).get(userId)?.channel ?? null;
  }

  async channelMembers(server: string, channel: number) {
    return [...this.channelSeats(server, channel).values()].map((user) => ({ ...user }));
  }

  async channelPopulations(server: string) {
    const counts = new Map<number, number>();
    for (const [channel, members] of this.byChannel.get(server) ?? []) {
      if (members.size > 0) counts.set(channel, members.size);
    }
    return counts;
  }

  async createRoom(input: NewRoom, host: UserRef) {
    if (this.userRoom.has(host.id))
      throw new AppError(ErrorCode.already_in_room, "Leave your current room first");
    const room: Room = {
      ...input,
      id: crypto.randomUUID(),
      state: "waiting",
      hostId: host.id,
      members: [{ id: host.id, name: host.name, ready: false, reconnecting: false, joinedAt: Date.now() }],
      kicked: [],
    };
    this.rooms.set(room.id, room);
    this.userRoom.set(host.id, room.id);
    return clone(room);
  }

  async joinRoom(roomId: string, user: UserRef, gate: JoinGate) {
    const room = this.rooms.get(roomId);
    if (!room) throw new AppError(ErrorCode.room_not_found, "That room no longer exists");
    const current = this.userRoom.get(user.id);
    if (current === roomId) return clone(room);
    if (current) throw new AppError(ErrorCode.already_in_room, "Leave your current room first");
    rules.checkJoin(room, user.id, gate);
    rules.addMember(room, user);
    this.userRoom.set(user.id, roomId);
    return clone(room);
  }

  private removeMember(room: Room, userId: string): LeaveResult {
    this.userRoom.delete(userId);
    const result = rules.removeMember(room, userId);
    if (result.removed) this.rooms.delete(room.id);
    return { ...result, room: result.room && clone(result.room) };
  }

  async leaveRoom(userId: string) {
    const roomId = this.userRoom.get(userId);
    const room = roomId ? this.rooms.get(roomId) : undefined;
    if (!room) throw new AppError(ErrorCode.not_in_room, "You are not in a room");
    return this.removeMember(room, userId);
  }

  private hostedRoom(roomId: string | undefined, hostId: string): Room {
    return rules.checkHost((roomId && this.rooms.get(roomId)) || null, hostId);
  }

  async kick(roomId: string, hostId: string, targetId: string) {
    const room = this.hostedRoom(roomId, hostId);
    if (targetId === hostId || !room.members.some((m) => m.id === targetId)) {
      throw new AppError(ErrorCode.not_in_room, "That player is not in your room");
    }
    room.kicked.push(targetId);
    return this.removeMember(room, targetId);
  }

  async updateRoom(roomId: string, hostId: string, settings: RoomSettings) {
    const room = this.hostedRoom(roomId, hostId);
    rules.applySettings(room, settings);
    return clone(room);
  }

  private memberRoom(userId: string): Room {
    const roomId = this.userRoom.get(userId);
    const room = roomId ? this.rooms.get(roomId) : undefined;
    if (!room) throw new AppError(ErrorCode.not_in_room, "You are not in a room");
    return room;
  }

  async setReady(userId: string, ready: boolean) {
    const room = this.memberRoom(userId);
    rules.setReady(room, userId, ready);
    return clone(room);
  }

  async setReconnecting(userId: string, reconnecting: boolean) {
    const roomId = this.userRoom.get(userId);
    const room = roomId ? this.rooms.get(roomId) : undefined;
    if (!room) return null;
    room.members.find((m) => m.id === userId)!.reconnecting = reconnecting;
    return clone(room);
  }

  async startGame(userId: string) {
    const room = this.hostedRoom(this.userRoom.get(userId), userId);
    rules.start(room);
    return clone(room);
  }

  async endGame(userId: string) {
    const room = this.hostedRoom(this.userRoom.get(userId), userId);
    rules.end(room);
    return clone(room);
  }

  async getRoom(roomId: string) {
    const room = this.rooms.get(roomId);
    return room ? clone(room) : null;
  }

  async roomOf(userId: string) {
    const roomId = this.userRoom.get(userId);
    return roomId ? this.getRoom(roomId) : null;
  }

  async listRooms(server: string) {
    return [...this.rooms.values()].filter((r) => r.server === server).map(clone);
  }

  async clearServer(server: string) {
    this.channels.delete(server);
    this.byChannel.delete(server);
    const removed: string[] = [];
    for (const room of [...this.rooms.values()]) {
      if (room.server !== server) continue;
      for (const member of room.members) this.userRoom.delete(member.id);
      this.rooms.delete(room.id);
      removed.push(room.id);
    }
    return removed;
  }

  async appendChat(key: string, message: ChatMessage, keep: number) {
    const list = this.chats.get(key) ?? [];
    list.push(copyMessage(message));
    if (list.length > keep) list.splice(0, list.length - keep);
    this.chats.set(key, list);
  }

  async chatHistory(key: string) {
    return (this.chats.get(key) ?? []).map(copyMessage);
  }

  async deleteChat(key: string) {
    this.chats.delete(key);
  }

  async hitRate(key: string, limit: number, windowMs: number, now: number) {
    this.sweep(now, windowMs);
    const bucket = this.buckets.get(key) ?? { tokens: limit, at: now, perMs: limit / windowMs, limit };
    bucket.tokens = Math.min(limit, bucket.tokens + Math.max(0, now - bucket.at) * bucket.perMs);
    bucket.at = Math.max(bucket.at, now);
    this.buckets.set(key, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  /** Forgets buckets that are full again: they would allow exactly what a new one allows. */
  private sweep(now: number, every: number) {
    if (now - this.lastSweep < every) return;
    this.lastSweep = now;
    for (const [key, b] of this.buckets) {
      if (b.tokens + (now - b.at) * b.perMs >= b.limit) this.buckets.delete(key);
    }
  }

  /** Entries held per player or room; channel chat history is per channel and stays. */
  sizes(now = Date.now()): Record<string, number> {
    this.lastSweep = 0;
    this.sweep(now, 0);
    let seats = 0;
    for (const server of this.channels.values()) seats += server.size;
    let roomChats = 0;
    for (const key of this.chats.keys()) if (key.startsWith("room|")) roomChats++;
    return {
      "lobby.channelSeats": seats,
      "lobby.rooms": this.rooms.size,
      "lobby.userRooms": this.userRoom.size,
      "lobby.roomChats": roomChats,
      "lobby.rateBuckets": this.buckets.size,
    };
  }
}
