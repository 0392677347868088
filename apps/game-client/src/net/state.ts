import type {
  ChannelView,
  ChatMessage,
  FriendRequestView,
  FriendView,
  GameServerSummary,
  Me,
  NoticeView,
  RoomSummary,
  RoomView,
  UserRef,
} from "@rally/protocol";

/** `boot` is the splash while a kept session resumes: neither sign-in nor a screen yet. */
export type SceneName = "boot" | "login" | "servers" | "lobby" | "room" | "game";

export interface Toast {
  id: number;
  text: string;
  kind: "info" | "good" | "bad";
}

export interface PendingInvite {
  inviteId: string;
  room: RoomSummary;
  from: UserRef;
  expiresAt: number;
}

/** Everything the client knows. The network module writes it; scenes read it. */
export interface ClientState {
  scene: SceneName;
  me: Me | null;
  /** `reconnecting`: a connection dropped and comes back by itself; the session is kept. */
  connection: "online" | "reconnecting" | "offline";
  servers: GameServerSummary[];
  server: GameServerSummary | null;
  channels: ChannelView[];
  channel: number | null;
  channelMembers: UserRef[];
  channelChat: ChatMessage[];
  rooms: RoomSummary[];
  room: RoomView | null;
  roomChat: ChatMessage[];
  roster: UserRef[] | null;
  /** When the host started the game: the 3-2-1 countdown ends at this time (ms since epoch). */
  gameStartsAt: number | null;
  friends: FriendView[];
  incoming: FriendRequestView[];
  outgoing: FriendRequestView[];
  blocked: UserRef[];
  toasts: Toast[];
  notices: NoticeView[];
  invite: PendingInvite | null;
  muted: boolean;
}

export function initialState(): ClientState {
  return {
    scene: "boot",
    me: null,
    connection: "offline",
    servers: [],
    server: null,
    channels: [],
    channel: null,
    channelMembers: [],
    channelChat: [],
    rooms: [],
    room: null,
    roomChat: [],
    roster: null,
    gameStartsAt: null,
    friends: [],
    incoming: [],
    outgoing: [],
    blocked: [],
    toasts: [],
    notices: [],
    invite: null,
    muted: localStorage.getItem("rally-muted") === "1",
  };
}
