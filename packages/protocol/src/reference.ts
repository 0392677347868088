import type { ErrorCode } from "./errors.js";
import type { InboundEvent, ServerToClientEvents } from "./index.js";

/**
 * What `docs/protocol.md`'s generated tables say beyond the zod schemas: the reply and the error
 * codes of each request, and the payload and recipients of each broadcast. The types make every
 * event and every error code need an entry, so nothing can be added without being documented.
 * `npm run docs:protocol` renders it; payload columns come from the schemas themselves.
 */
export interface RequestDoc {
  /** The docs/protocol.md block the row goes in: `<!-- generated:events:<group>:start -->`. */
  group: string;
  reply: string;
  errors: ErrorCode[];
  note?: string;
}

export interface BroadcastDoc {
  group: string;
  payload: string;
  to: string;
}

const roomErrors = {
  join: [
    "room_not_found",
    "room_full",
    "wrong_password",
    "rate_limited",
    "invite_only",
    "room_in_game",
    "kicked_from_room",
    "already_in_room",
  ],
} satisfies Record<string, ErrorCode[]>;

export const requestDocs = {
  "presence:announce": {
    group: "presence",
    reply: "`{ announced: boolean }`",
    errors: [],
    note: "anything sent is ignored",
  },
  "presence:appear_offline": { group: "presence", reply: "`{ appearOffline }`", errors: ["invalid_payload"] },
  "friends:list": {
    group: "friends",
    reply:
      "`{ friends: FriendView[], incoming: FriendRequestView[], outgoing: FriendRequestView[], blocked: UserRef[] }`",
    errors: [],
  },
  "friends:request": {
    group: "friends",
    reply: '`{ outcome: "requested" \\| "accepted" }`',
    errors: [
      "user_not_found",
      "cannot_befriend_self",
      "already_friends",
      "already_pending",
      "too_many_pending",
      "too_many_requests",
    ],
  },
  "friends:accept": {
    group: "friends",
    reply: "`FriendView`",
    errors: ["request_not_found"],
    note: "`userId`: who asked you",
  },
  "friends:decline": { group: "friends", reply: "`null`", errors: ["request_not_found"] },
  "friends:cancel": {
    group: "friends",
    reply: "`null`",
    errors: ["request_not_found"],
    note: "`userId`: whom you asked",
  },
  "friends:remove": { group: "friends", reply: "`null`", errors: ["not_friends"] },
  "friends:block": { group: "friends", reply: "`null`", errors: ["user_not_found", "cannot_befriend_self"] },
  "friends:unblock": { group: "friends", reply: "`null`", errors: ["not_found"] },
  "servers:list": { group: "server-list", reply: "`GameServerSummary[]`", errors: [] },
  "ignore:add": {
    group: "ignore",
    reply: "`null`",
    errors: ["cannot_ignore_self", "user_not_found", "too_many_ignored"],
  },
  "ignore:remove": { group: "ignore", reply: "`null`", errors: ["not_found"] },
  "ignore:list": { group: "ignore", reply: "`UserRef[]`", errors: [] },

  "channel:join": {
    group: "channels",
    reply: "`{ channel, members: UserRef[], history: ChatMessage[] }` (last 50 lines)",
    errors: ["channel_not_found", "channel_full"],
  },
  "channel:leave": { group: "channels", reply: "`null`", errors: ["not_in_channel"] },
  "channel:chat": {
    group: "channels",
    reply: "`ChatMessage`",
    errors: ["not_in_channel", "muted", "rate_limited", "invalid_payload"],
  },
  "rooms:list": { group: "rooms", reply: "`RoomSummary[]`", errors: [] },
  "room:create": {
    group: "rooms",
    reply: "`RoomView`",
    errors: ["already_in_room", "maintenance", "server_closed", "invalid_payload"],
    note: "`password` is required for `private`",
  },
  "room:join": {
    group: "rooms",
    reply: "`RoomView & { history: ChatMessage[] }`",
    errors: roomErrors.join,
    note: "`rate_limited` after too many wrong passwords",
  },
  "game:move": {
    group: "game",
    reply: "`null` (one-way: the ack is optional)",
    errors: ["not_in_game", "rate_limited", "invalid_payload"],
    note: "arena units; errors only when acked",
  },
  "room:leave": { group: "rooms", reply: "`null`", errors: ["not_in_room"] },
  "room:ready": { group: "rooms", reply: "`null`", errors: ["not_in_room", "room_in_game"] },
  "room:chat": { group: "rooms", reply: "`ChatMessage`", errors: ["not_in_room", "muted", "rate_limited"] },
  "room:kick": { group: "rooms", reply: "`null`", errors: ["not_host", "not_in_room"], note: "host only" },
  "room:update": {
    group: "rooms",
    reply: "`RoomView`",
    errors: ["not_host", "max_below_count", "invalid_payload"],
    note: "host only; `password` is needed when going private",
  },
  "room:start": {
    group: "rooms",
    reply: "`null`",
    errors: ["not_host", "not_enough_players", "players_not_ready", "room_in_game"],
    note: "host only",
  },
  "room:end": { group: "rooms", reply: "`null`", errors: ["not_host", "not_in_game"], note: "host only" },
  "room:invite": {
    group: "rooms",
    reply: "`{ inviteId }`",
    errors: ["not_in_room", "not_friends", "invitee_offline", "already_in_room", "kicked_from_room"],
    note: "a friend; refused before delivery if they were kicked from the room",
  },
  "report:create": {
    group: "reports",
    reply: "`{ reportId }`",
    errors: [
      "message_not_found",
      "user_not_found",
      "cannot_moderate_self",
      "rate_limited",
      "invalid_payload",
    ],
  },

  "notices:create": {
    group: "admin",
    reply: "`NoticeView`",
    errors: ["invalid_payload"],
    note: "times are ISO-8601; `invalid_payload` names `scope.server`, `scope.channel`, `expiresAt`…",
  },
  "notices:list": { group: "admin", reply: "`NoticeView[]` (not deleted, newest first)", errors: [] },
  "notices:delete": { group: "admin", reply: "`null`", errors: ["not_found"] },
  "maintenance:start": {
    group: "admin",
    reply: "`NoticeView` (kind `maintenance`)",
    errors: ["invalid_payload", "maintenance", "server_closed"],
  },
  "maintenance:cancel": { group: "admin", reply: "`null`", errors: ["not_found"] },
  "stats:get": { group: "admin", reply: "`LiveStats`", errors: [] },
  "stats:history": { group: "moderation", reply: "`StatsHistory`", errors: [] },
  "moderation:mute": {
    group: "moderation",
    reply: "`SanctionView`",
    errors: ["user_not_found", "cannot_moderate_self", "invalid_payload"],
  },
  "moderation:unmute": {
    group: "moderation",
    reply: "`null`",
    errors: ["user_not_found", "cannot_moderate_self", "not_sanctioned"],
  },
  "moderation:ban": {
    group: "moderation",
    reply: "`SanctionView`",
    errors: ["user_not_found", "cannot_moderate_self", "last_admin", "invalid_payload"],
    note: "no `durationSeconds` (or null): for good",
  },
  "moderation:unban": {
    group: "moderation",
    reply: "`null`",
    errors: ["user_not_found", "cannot_moderate_self", "not_sanctioned"],
  },
  "players:search": {
    group: "moderation",
    reply: "`PlayerSummary[]` (at most 20)",
    errors: ["invalid_payload"],
    note: "a name prefix, any letter case",
  },
  "player:get": { group: "moderation", reply: "`PlayerDetail`", errors: ["user_not_found"] },
  "audit:list": {
    group: "moderation",
    reply: "`AuditEntryView[]` (newest first)",
    errors: ["user_not_found", "invalid_payload"],
    note: "`limit` defaults to 100",
  },
  "reports:list": { group: "moderation", reply: "`ReportView[]`", errors: [] },
  "reports:resolve": {
    group: "moderation",
    reply: "`ReportView`",
    errors: ["report_not_found", "already_resolved"],
  },
} satisfies Record<InboundEvent, RequestDoc>;

export const broadcastDocs = {
  "friend:online": {
    group: "presence",
    payload: "`{ user: UserRef, location: Location }`",
    to: "online friends: a friend announced, or stopped appearing offline",
  },
  "friend:offline": {
    group: "presence",
    payload: "`{ user: UserRef }`",
    to: "online friends: the last connection closed more than the grace period ago, or the friend chose to appear offline",
  },
  "friend:moved": {
    group: "presence",
    payload: "`{ user: UserRef, location: Location }`",
    to: "online friends: the friend joined or left a game server, channel, room or game (at most about once a second per friend, carrying the latest place)",
  },
  "friend:requested": {
    group: "friends",
    payload: "`FriendRequestView` (from the requester)",
    to: "the other party",
  },
  "friend:accepted": {
    group: "friends",
    payload: "`FriendView` (who accepted, with presence)",
    to: "the other party",
  },
  "friend:request_declined": { group: "friends", payload: "`{ user: UserRef }`", to: "the other party" },
  "friend:request_cancelled": { group: "friends", payload: "`{ user: UserRef }`", to: "the other party" },
  "friend:removed": {
    group: "friends",
    payload: "`{ user: UserRef }`",
    to: "the other party (also when they block you)",
  },
  "servers:updated": {
    group: "server-list",
    payload: "`GameServerSummary[]`",
    to: "everyone on `/`, at most once a second after a change",
  },
  "account:muted": {
    group: "sanctions",
    payload: "`{ reason, expiresAt }`",
    to: "the muted player's `/` connections",
  },
  "account:unmuted": {
    group: "sanctions",
    payload: "`{}`",
    to: "the player's `/` connections, when an admin lifts the mute",
  },
  "account:banned": {
    group: "sanctions",
    payload: "`{ reason, expiresAt: string \\| null }`",
    to: "the banned player's `/` connections, just before every connection closes",
  },

  "notices:snapshot": {
    group: "notices",
    payload: "`NoticeView[]`",
    to: "on connect: scope `all` on `/`; scope `server` on `/servers/<slug>`",
  },
  "notice:posted": {
    group: "notices",
    payload: "`NoticeView`",
    to: "everyone in scope when a notice starts; on `channel:join`, once per active notice of that channel",
  },
  "notice:removed": {
    group: "notices",
    payload: "`{ id }`",
    to: "everyone in scope when a notice is deleted or expires",
  },

  "server:welcome": {
    group: "server",
    payload:
      "`{ server: GameServerSummary, channels: ChannelView[], restored: { channel, history, room, roomHistory, seatLost: { roomId, title } \\| null } }`",
    to: "the connecting socket, first",
  },
  "server:closing": {
    group: "server",
    payload: "`{ reason }`",
    to: "everyone on the server, just before it disconnects them from this namespace (not from `/`)",
  },
  "rooms:snapshot": {
    group: "server",
    payload: "`RoomSummary[]`",
    to: "the connecting socket, after the welcome",
  },
  "channels:updated": {
    group: "channels",
    payload: "`{ channel, population, capacity }[]`",
    to: "everyone on the server",
  },
  "channel:members_changed": {
    group: "channels",
    payload: "`{ channel, members: UserRef[] }`",
    to: "members of that channel",
  },
  "channel:message_posted": {
    group: "channels",
    payload: "`ChatMessage & { channel }`",
    to: "members of that channel **except the sender** (who has it in the reply) and players who ignore the sender",
  },
  "room:created": { group: "rooms", payload: "`RoomSummary`", to: "everyone on the server" },
  "rooms:updated": {
    group: "rooms",
    payload: "`{ rooms: RoomSummary[] }`",
    to: "everyone on the server, at most about once a second: the entries that changed since the last one",
  },
  "room:removed": { group: "rooms", payload: "`{ id }`", to: "everyone on the server" },
  "room:changed": {
    group: "rooms",
    payload: "`RoomView`",
    to: "members, after every change (including the requester)",
  },
  "room:host_changed": { group: "rooms", payload: "`{ roomId, host: UserRef }`", to: "members" },
  "room:kicked": { group: "rooms", payload: "`{ roomId }`", to: "the kicked player" },
  "room:seat_freed": { group: "rooms", payload: "`{ roomId, user: UserRef }`", to: "members" },
  "room:message_posted": {
    group: "rooms",
    payload: "`ChatMessage & { roomId }`",
    to: "members except the sender and players who ignore the sender",
  },
  "game:started": { group: "rooms", payload: "`{ roomId, roster: UserRef[] }`", to: "members" },
  "game:ended": { group: "rooms", payload: "`{ roomId }`", to: "members" },
  "invite:received": {
    group: "invites",
    payload: "`{ inviteId, room: RoomSummary, from: UserRef, expiresInMs }` + callback `{ accept: boolean }`",
    to: "the invitee's sockets on that server (not when the invitee ignores the inviter)",
  },
  "invite:answered": {
    group: "invites",
    payload: '`{ inviteId, user: UserRef, outcome: "accepted" \\| "declined" \\| "expired" }`',
    to: "the inviter",
  },
  "invite:failed": {
    group: "invites",
    payload: "`{ inviteId, code }`",
    to: "the invitee, when an accepted invite could not seat them",
  },

  "game:moved": {
    group: "game",
    payload: "`{ userId, x, y }`",
    to: "the other players of the game (a relayed `game:move`, never echoed to the mover)",
  },
  "stats:updated": {
    group: "admin",
    payload: "`LiveStats`",
    to: "admins, every 2 seconds while one is connected",
  },
  "report:created": {
    group: "moderation",
    payload: "`ReportView`",
    to: "admins, when a player files a report",
  },
  "report:resolved": { group: "moderation", payload: "`ReportView`", to: "admins, when one is resolved" },
} satisfies Record<keyof ServerToClientEvents, BroadcastDoc>;
