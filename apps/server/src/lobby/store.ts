import type {
  ChatMessage,
  GameMode,
  RoomMember,
  RoomSummary,
  RoomView,
  UserRef,
  Visibility,
} from "@rally/protocol";

export interface Member extends UserRef {
  ready: boolean;
  reconnecting: boolean;
  joinedAt: number;
}

export interface Room {
  id: string;
  server: string;
  title: string;
  mode: GameMode;
  visibility: Visibility;
  passwordHash: string | null;
  maxPlayers: number;
  state: "waiting" | "in_game";
  hostId: string;
  /** In order of arrival: the first after the host is the next host. */
  members: Member[];
  kicked: string[];
}

export interface NewRoom {
  server: string;
  title: string;
  mode: GameMode;
  visibility: Visibility;
  passwordHash: string | null;
  maxPlayers: number;
}

export interface RoomSettings {
  title?: string;
  maxPlayers?: number;
  visibility?: Visibility;
  passwordHash?: string | null;
}

/** How a join may skip the room's own gate: an accepted invite passes password and invite-only. */
export type JoinGate = { kind: "public" } | { kind: "password"; passwordOk: boolean } | { kind: "invite" };

export interface LeaveResult {
  room: Room | null;
  /** The room was removed: its last member left. */
  removed: boolean;
  newHost: UserRef | null;
}

/**
 * Lobby state that several server processes will share (rooms, seats, channel membership, chat
 * history, chat rate limits). Every method is atomic: rule checks and writes happen together, so
 * concurrent joins can never exceed a room's capacity. Refusals throw AppError with the code.
 */
export interface LobbyStore {
  joinChannel(
    server: string,
    channel: number,
    capacity: number,
    user: UserRef,
  ): Promise<{ previous: number | null }>;
  leaveChannel(server: string, userId: string): Promise<number | null>;
  channelOf(server: string, userId: string): Promise<number | null>;
  channelMembers(server: string, channel: number): Promise<UserRef[]>;
  channelPopulations(server: string): Promise<Map<number, number>>;

  createRoom(input: NewRoom, host: UserRef): Promise<Room>;
  joinRoom(roomId: string, user: UserRef, gate: JoinGate): Promise<Room>;
  leaveRoom(userId: string): Promise<LeaveResult>;
  kick(roomId: string, hostId: string, targetId: string): Promise<LeaveResult>;
  updateRoom(roomId: string, hostId: string, settings: RoomSettings): Promise<Room>;
  setReady(userId: string, ready: boolean): Promise<Room>;
  setReconnecting(userId: string, reconnecting: boolean): Promise<Room | null>;
  startGame(userId: string): Promise<Room>;
  endGame(userId: string): Promise<Room>;
  getRoom(roomId: string): Promise<Room | null>;
  roomOf(userId: string): Promise<Room | null>;
  listRooms(server: string): Promise<Room[]>;
  /** Removes every room and channel seat of a server (it closed). Returns the removed room ids. */
  clearServer(server: string): Promise<string[]>;

  appendChat(key: string, message: ChatMessage, keep: number): Promise<void>;
  chatHistory(key: string): Promise<ChatMessage[]>;
  /** Forgets a chat's history (a removed room's). */
  deleteChat(key: string): Promise<void>;
  /**
   * A token bucket per key: `limit` hits in a burst, refilled at `limit` per `windowMs`. Takes one
   * token and returns true, or false when none is left. Keys of full buckets may be forgotten.
   */
  hitRate(key: string, limit: number, windowMs: number, now: number): Promise<boolean>;
}

/** Chat history keys: a room's is deleted with the room; a channel's stays with the channel. */
export const roomChatKey = (roomId: string) => `room|${roomId}`;

export function roomSummary(room: Room): RoomSummary {
  const host = room.members.find((m) => m.id === room.hostId) ?? room.members[0]!;
  return {
    id: room.id,
    title: room.title,
    mode: room.mode,
    visibility: room.visibility,
    maxPlayers: room.maxPlayers,
    players: room.members.length,
    state: room.state,
    host: { id: host.id, name: host.name },
  };
}

export function roomView(room: Room): RoomView {
  const members: RoomMember[] = room.members.map((m) => ({
    id: m.id,
    name: m.name,
    ready: m.ready,
    host: m.id === room.hostId,
    reconnecting: m.reconnecting,
  }));
  return { ...roomSummary(room), members };
}
