import { z } from "zod";
import { emptyPayload } from "./empty.js";
import type { UserRef } from "./auth.js";
import type { AckCallback, ErrorCode } from "./errors.js";
import { Limits } from "./limits.js";
import type { NoticeServerEvents } from "./notices.js";

export const GameModes = ["deathmatch", "team_deathmatch", "capture_the_flag", "co_op", "custom"] as const;
export type GameMode = (typeof GameModes)[number];
export const Visibilities = ["public", "private", "invite_only"] as const;
export type Visibility = (typeof Visibilities)[number];

export interface GameServerSummary {
  slug: string;
  name: string;
  region: string;
  channelCount: number;
  channelCapacity: number;
  maxPopulation: number;
  status: "open" | "closed" | "maintenance";
  population: number;
}

export interface ChatMessage {
  id: string;
  from: UserRef;
  text: string;
  /** ISO-8601, set by the server. */
  at: string;
}

export interface ChannelView {
  channel: number;
  population: number;
  capacity: number;
}

export interface RoomSummary {
  id: string;
  title: string;
  mode: GameMode;
  visibility: Visibility;
  maxPlayers: number;
  players: number;
  state: "waiting" | "in_game";
  host: UserRef;
}

export interface RoomMember extends UserRef {
  ready: boolean;
  host: boolean;
  reconnecting: boolean;
}

export interface RoomView extends RoomSummary {
  members: RoomMember[];
}

export type InviteOutcome = "accepted" | "declined" | "expired";

const text = z
  .string()
  .transform((s) => s.trim())
  .pipe(z.string().min(1).max(Limits.chatMax));

export const lobbySchemas = {
  "channel:join": z.object({ channel: z.number().int().min(1) }),
  "channel:leave": emptyPayload,
  "channel:chat": z.object({ text }),
  "rooms:list": emptyPayload,
  "room:create": z
    .object({
      title: z
        .string()
        .transform((s) => s.trim())
        .pipe(z.string().min(1).max(Limits.roomTitleMax)),
      maxPlayers: z.number().int().min(Limits.roomPlayersMin).max(Limits.roomPlayersMax),
      mode: z.enum(GameModes),
      visibility: z.enum(Visibilities),
      password: z.string().min(1).max(64).optional(),
    })
    .refine((r) => r.visibility !== "private" || r.password, {
      message: "a private room needs a password",
      path: ["password"],
    }),
  "room:join": z.object({ roomId: z.string().min(1).max(64), password: z.string().max(64).optional() }),
  "room:leave": emptyPayload,
  "room:kick": z.object({ userId: z.string().min(1).max(64) }),
  "room:update": z.object({
    title: z
      .string()
      .transform((s) => s.trim())
      .pipe(z.string().min(1).max(Limits.roomTitleMax))
      .optional(),
    maxPlayers: z.number().int().min(Limits.roomPlayersMin).max(Limits.roomPlayersMax).optional(),
    visibility: z.enum(Visibilities).optional(),
    password: z.string().min(1).max(64).optional(),
  }),
  "room:ready": z.object({ ready: z.boolean() }),
  "room:start": emptyPayload,
  "room:end": emptyPayload,
  "room:chat": z.object({ text }),
  "room:invite": z.object({ userId: z.string().min(1).max(64) }),
  "game:move": z.object({
    x: z.number().int().min(0).max(Limits.arenaWidth),
    y: z.number().int().min(0).max(Limits.arenaHeight),
  }),
} as const;

type Empty = Record<string, never> | undefined;
type In<K extends keyof typeof lobbySchemas> = z.input<(typeof lobbySchemas)[K]>;

/** Namespace `/servers/<slug>`: one game server. */
export interface GameClientEvents {
  "channel:join": (
    payload: In<"channel:join">,
    ack: AckCallback<{ channel: number; members: UserRef[]; history: ChatMessage[] }>,
  ) => void;
  "channel:leave": (payload: Empty, ack: AckCallback) => void;
  "channel:chat": (payload: In<"channel:chat">, ack: AckCallback<ChatMessage>) => void;
  "rooms:list": (payload: Empty, ack: AckCallback<RoomSummary[]>) => void;
  "room:create": (payload: In<"room:create">, ack: AckCallback<RoomView>) => void;
  "room:join": (payload: In<"room:join">, ack: AckCallback<RoomView & { history: ChatMessage[] }>) => void;
  "room:leave": (payload: Empty, ack: AckCallback) => void;
  "room:kick": (payload: In<"room:kick">, ack: AckCallback) => void;
  "room:update": (payload: In<"room:update">, ack: AckCallback<RoomView>) => void;
  "room:ready": (payload: In<"room:ready">, ack: AckCallback) => void;
  "room:start": (payload: Empty, ack: AckCallback) => void;
  "room:end": (payload: Empty, ack: AckCallback) => void;
  "room:chat": (payload: In<"room:chat">, ack: AckCallback<ChatMessage>) => void;
  "room:invite": (payload: In<"room:invite">, ack: AckCallback<{ inviteId: string }>) => void;
  /** One-way (an ack is optional): where my avatar is now, relayed to the others in my game. */
  "game:move": (payload: In<"game:move">, ack?: AckCallback) => void;
}

export interface GameServerEvents extends NoticeServerEvents {
  /** Sent once on connect: the server and its channels. */
  "server:welcome": (payload: {
    server: GameServerSummary;
    channels: ChannelView[];
    /** What a player who came back within the grace window still has: no need to join again. */
    restored: {
      channel: number | null;
      history: ChatMessage[];
      room: RoomView | null;
      /** The restored room's chat, so a reload shows the conversation it left. */
      roomHistory: ChatMessage[];
      /** The seat this player lost by staying away longer than the grace window, told once. */
      seatLost: { roomId: string; title: string } | null;
    };
  }) => void;
  /** Sent before the server disconnects its players (closed, maintenance). */
  "server:closing": (payload: { reason: string }) => void;
  "channels:updated": (payload: ChannelView[]) => void;
  "channel:members_changed": (payload: { channel: number; members: UserRef[] }) => void;
  "channel:message_posted": (payload: ChatMessage & { channel: number }) => void;
  "rooms:snapshot": (payload: RoomSummary[]) => void;
  "room:created": (payload: RoomSummary) => void;
  /** The list entries that changed since the last one: at most about one a second per server. */
  "rooms:updated": (payload: { rooms: RoomSummary[] }) => void;
  "room:removed": (payload: { id: string }) => void;
  /** The full state of the room this player is in, after every change. */
  "room:changed": (payload: RoomView) => void;
  "room:host_changed": (payload: { roomId: string; host: UserRef }) => void;
  "room:kicked": (payload: { roomId: string }) => void;
  "room:seat_freed": (payload: { roomId: string; user: UserRef }) => void;
  "room:message_posted": (payload: ChatMessage & { roomId: string }) => void;
  "game:started": (payload: { roomId: string; roster: UserRef[] }) => void;
  "game:ended": (payload: { roomId: string }) => void;
  /** Another player's avatar moved (relayed `game:move`; never echoed to the mover). */
  "game:moved": (payload: { userId: string; x: number; y: number }) => void;
  /** Server-to-client request: answer within the timeout or the invite expires. */
  "invite:received": (
    payload: { inviteId: string; room: RoomSummary; from: UserRef; expiresInMs: number },
    answer: (reply: { accept: boolean }) => void,
  ) => void;
  "invite:answered": (payload: { inviteId: string; user: UserRef; outcome: InviteOutcome }) => void;
  /** The invitee accepted but could not be seated (the room filled up, started or closed). */
  "invite:failed": (payload: { inviteId: string; code: ErrorCode }) => void;
}
