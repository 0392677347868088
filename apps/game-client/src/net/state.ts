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

export type SceneName = "login" | "servers" | "lobby" | "room" | "game";

export interface Toast {
  id: number;
  text: string;
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
  friends: FriendView[];
  incoming: FriendRequestView[];
  outgoing: FriendRequestView[];
  blocked: UserRef[];
  toasts: Toast[];
  notices: NoticeView[];
  invite: PendingInvite | null;
  /** Why the server signed us out (a ban), for the sign-in screen. */
  signedOutBecause: string | null;
}

export function initialState(): ClientState {
  return {
    scene: "login",
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
    friends: [],
    incoming: [],
    outgoing: [],
    blocked: [],
    toasts: [],
    notices: [],
    invite: null,
    signedOutBecause: null,
  };
}
