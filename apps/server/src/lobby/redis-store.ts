import crypto from "node:crypto";
import { type ChatMessage, ErrorCode, type UserRef } from "@rally/protocol";
import type { Redis } from "ioredis";
import { AppError } from "../realtime/app-error.js";
import { CLEAR_SERVER, COMPARE_AND_SET, HIT_RATE, JOIN_CHANNEL, LEAVE_CHANNEL } from "./redis-scripts.js";
import * as rules from "./room-rules.js";
import type { JoinGate, LeaveResult, LobbyStore, NewRoom, Room, RoomSettings } from "./store.js";

/** Chat history of a channel or room nobody writes to any more goes away after a day. */
const CHAT_TTL_MS = 24 * 3600_000;
/** Compare-and-set retries before giving up: only reached under absurd contention on one room. */
const MAX_ATTEMPTS = 200;

type Write = ["set", string, string] | ["del", string] | ["sadd" | "srem", string, string];
interface Plan<T> {
  result: T;
  writes: Write[];
}

/**
 * The LobbyStore shared by every node through Redis. Each method is one atomic step: a Lua script,
 * or a compare-and-set of the room and seat keys it read (retried when another node got there first).
 */
export class RedisLobbyStore implements LobbyStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {
    redis.defineCommand("rallyCas", { lua: COMPARE_AND_SET });
    redis.defineCommand("rallyJoinChannel", { numberOfKeys: 2, lua: JOIN_CHANNEL });
    redis.defineCommand("rallyLeaveChannel", { numberOfKeys: 2, lua: LEAVE_CHANNEL });
    redis.defineCommand("rallyClearServer", { numberOfKeys: 3, lua: CLEAR_SERVER });
    redis.defineCommand("rallyHitRate", { numberOfKeys: 1, lua: HIT_RATE });
  }

  private key = {
    seats: (server: string) => `${this.prefix}lobby:seats:${server}`,
    names: (server: string) => `${this.prefix}lobby:names:${server}`,
    rooms: (server: string) => `${this.prefix}lobby:rooms:${server}`,
    room: (id: string) => `${this.prefix}lobby:room:${id}`,
    roomOf: (userId: string) => `${this.prefix}lobby:in:${userId}`,
    chat: (key: string) => `${this.prefix}lobby:chat:${key}`,
    hits: (key: string) => `${this.prefix}lobby:hits:${key}`,
  };

  // biome-ignore lint/suspicious/noExplicitAny: commands added by defineCommand are untyped
  private get scripts(): any {
    return this.redis;
  }

  async joinChannel(server: string, channel: number, capacity: number, user: UserRef) {
    try {
      const previous: string = await this.scripts.rallyJoinChannel(
        this.key.seats(server),
        this.key.names(server),
        user.id,
        String(channel),
        String(capacity),
        user.name,
      );
      return { previous: previous === "" ? null : Number(previous) };
    } catch (error) {
      if ((error as Error).message.includes("channel_full"))
        throw new AppError(ErrorCode.channel_full, `Channel ${channel} is full`);
      throw error;
    }
  }

  async leaveChannel(server: string, userId: string) {
    const previous: string = await this.scripts.rallyLeaveChannel(
      this.key.seats(server),
      this.key.names(server),
      userId,
    );
    return previous === "" ? null : Number(previous);
  }

  async channelOf(server: string, userId: string) {
    const channel = await this.redis.hget(this.key.seats(server), userId);
    return channel === null ? null : Number(channel);
  }

  async channelMembers(server: string, channel: number) {
    const [seats, names] = await Promise.all([
      this.redis.hgetall(this.key.seats(server)),
      this.redis.hgetall(this.key.names(server)),
    ]);
    return Object.entries(seats)
      .filter(([, seat]) => Number(seat) === channel)
      .map(([id]) => ({ id, name: names[id] ?? "" }));
  }

  async channelPopulations(server: string) {
    const counts = new Map<number, number>();
    for (const seat of await this.redis.hvals(this.key.seats(server))) {
      counts.set(Number(seat), (counts.get(Number(seat)) ?? 0) + 1);
    }
    return counts;
  }

  /** Reads `keys`, lets `plan` decide, and commits only if none of them changed meanwhile. */
  private async atomically<T>(
    keys: string[] | (() => Promise<string[]>),
    plan: (values: (string | null)[]) => Plan<T>,
  ): Promise<T> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const read = typeof keys === "function" ? await keys() : keys;
      const values = read.length ? await this.redis.mget(...read) : [];
      const { result, writes } = plan(values);
      const allKeys = [...read];
      const ops: string[] = [];
      for (const [op, key, value] of writes) {
        let index = allKeys.indexOf(key);
        if (index < 0) index = allKeys.push(key) - 1;
        ops.push(op, String(index + 1), value ?? "");
      }
      const expected = values.map((value) => value ?? "");
      const done = await this.scripts.rallyCas(allKeys.length, ...allKeys, read.length, ...expected, ...ops);
      if (done === 1) return result;
      // Someone else changed the room first: back off a little so racing nodes spread out.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(20, attempt + 1)));
    }
    throw new AppError(ErrorCode.internal, "The room is too busy, try again");
  }

  private parse(raw: string | null): Room | null {
    return raw === null ? null : (JSON.parse(raw) as Room);
  }

  private saveRoom(room: Room): Write {
    return ["set", this.key.room(room.id), JSON.stringify(room)];
  }

  /** Writes after a member left: the room, or its removal when it emptied. */
  private afterLeave(room: Room, userId: string, result: LeaveResult): Write[] {
    const writes: Write[] = [["del", this.key.roomOf(userId)]];
    if (result.removed) {
      writes.push(["del", this.key.room(room.id)], ["srem", this.key.rooms(room.server), room.id]);
    } else writes.push(this.saveRoom(room));
    return writes;
  }

  async createRoom(input: NewRoom, host: UserRef) {
    const room: Room = {
      ...input,
      id: crypto.randomUUID(),
      state: "waiting",
      hostId: host.id,
      members: [],
      kicked: [],
    };
    rules.addMember(room, host);
    return this.atomically([this.key.roomOf(host.id)], ([current]) => {
      if (current) throw new AppError(ErrorCode.already_in_room, "Leave your current room first");
      return {
        result: room,
        writes: [
          this.saveRoom(room),
          ["set", this.key.roomOf(host.id), room.id],
          ["sadd", this.key.rooms(room.server), room.id],
        ],
      };
    });
  }

  async joinRoom(roomId: string, user: UserRef, gate: JoinGate) {
    return this.atomically([this.key.room(roomId), this.key.roomOf(user.id)], ([raw, current]) => {
      const room = this.parse(raw ?? null);
      if (!room) throw new AppError(ErrorCode.room_not_found, "That room no longer exists");
      if (current === roomId) return { result: room, writes: [] };
      if (current) throw new AppError(ErrorCode.already_in_room, "Leave your current room first");
      rules.checkJoin(room, user.id, gate);
      rules.addMember(room, user);
      return { result: room, writes: [this.saveRoom(room), ["set", this.key.roomOf(user.id), roomId]] };
    });
  }

  /** The keys of the user's seat and of the room it points to, read fresh for each attempt. */
  private memberKeys(userId: string) {
    return async () => {
      const roomId = await this.redis.get(this.key.roomOf(userId));
      return roomId ? [this.key.roomOf(userId), this.key.room(roomId)] : [this.key.roomOf(userId)];
    };
  }

  private memberRoom(values: (string | null)[]): Room {
    const room = this.parse(values[1] ?? null);
    if (!values[0] || !room) throw new AppError(ErrorCode.not_in_room, "You are not in a room");
    return room;
  }

  async leaveRoom(userId: string) {
    return this.atomically(this.memberKeys(userId), (values) => {
      const room = this.memberRoom(values);
      const result = rules.removeMember(room, userId);
      return { result, writes: this.afterLeave(room, userId, result) };
    });
  }

  async kick(roomId: string, hostId: string, targetId: string) {
    return this.atomically([this.key.room(roomId), this.key.roomOf(targetId)], ([raw]) => {
      const room = rules.checkHost(this.parse(raw ?? null), hostId);
      if (targetId === hostId || !room.members.some((m) => m.id === targetId)) {
        throw new AppError(ErrorCode.not_in_room, "That player is not in your room");
      }
      room.kicked.push(targetId);
      const result = rules.removeMember(room, targetId);
      return { result, writes: this.afterLeave(room, targetId, result) };
    });
  }

  async updateRoom(roomId: string, hostId: string, settings: RoomSettings) {
    return this.atomically([this.key.room(roomId)], ([raw]) => {
      const room = rules.checkHost(this.parse(raw ?? null), hostId);
      rules.applySettings(room, settings);
      return { result: room, writes: [this.saveRoom(room)] };
    });
  }

  /** Changes the caller's own room with `change`, which checks its own rules. */
  private changeOwnRoom(userId: string, change: (room: Room) => void): Promise<Room> {
    return this.atomically(this.memberKeys(userId), (values) => {
      const room = this.memberRoom(values);
      change(room);
      return { result: room, writes: [this.saveRoom(room)] };
    });
  }

  async setReady(userId: string, ready: boolean) {
    return this.changeOwnRoom(userId, (room) => rules.setReady(room, userId, ready));
  }

  async setReconnecting(userId: string, reconnecting: boolean) {
    try {
      return await this.changeOwnRoom(userId, (room) => {
        room.members.find((m) => m.id === userId)!.reconnecting = reconnecting;
      });
    } catch (error) {
      if (error instanceof AppError && error.code === ErrorCode.not_in_room) return null;
      throw error;
    }
  }

  async startGame(userId: string) {
    return this.changeOwnRoom(userId, (room) => rules.start(rules.checkHost(room, userId)));
  }

  async endGame(userId: string) {
    return this.changeOwnRoom(userId, (room) => rules.end(rules.checkHost(room, userId)));
  }

  async getRoom(roomId: string) {
    return this.parse(await this.redis.get(this.key.room(roomId)));
  }

  async roomOf(userId: string) {
    const roomId = await this.redis.get(this.key.roomOf(userId));
    return roomId ? this.getRoom(roomId) : null;
  }

  async listRooms(server: string) {
    const ids = await this.redis.smembers(this.key.rooms(server));
    if (ids.length === 0) return [];
    const raws = await this.redis.mget(...ids.map((id) => this.key.room(id)));
    return raws.flatMap((raw) => (raw ? [JSON.parse(raw) as Room] : []));
  }

  async clearServer(server: string) {
    return (await this.scripts.rallyClearServer(
      this.key.seats(server),
      this.key.names(server),
      this.key.rooms(server),
      this.key.room(""),
      this.key.roomOf(""),
    )) as string[];
  }

  async appendChat(key: string, message: ChatMessage, keep: number) {
    await this.redis
      .multi()
      .rpush(this.key.chat(key), JSON.stringify(message))
      .ltrim(this.key.chat(key), -keep, -1)
      .pexpire(this.key.chat(key), CHAT_TTL_MS)
      .exec();
  }

  async chatHistory(key: string) {
    return (await this.redis.lrange(this.key.chat(key), 0, -1)).map((raw) => JSON.parse(raw) as ChatMessage);
  }

  async deleteChat(key: string) {
    await this.redis.del(this.key.chat(key));
  }

  async hitRate(key: string, limit: number, windowMs: number, now: number) {
    return (await this.scripts.rallyHitRate(this.key.hits(key), now, windowMs, limit)) === 1;
  }
}
