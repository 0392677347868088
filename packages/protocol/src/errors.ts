/** Every error code a reply or a connect_error can carry. One list, shared by server and clients. */
export const ErrorCode = {
  // generic
  invalid_payload: "invalid_payload",
  unknown_event: "unknown_event",
  payload_too_large: "payload_too_large",
  internal: "internal",
  rate_limited: "rate_limited",
  not_found: "not_found",
  /** The server is overloaded or its database cannot be written: retry later (HTTP 503). */
  unavailable: "unavailable",
  // auth
  unauthorized: "unauthorized",
  forbidden: "forbidden",
  forbidden_origin: "forbidden_origin",
  /** connect_error: the user already has Limits.maxSocketsPerUser connections to this namespace. */
  too_many_connections: "too_many_connections",
  invalid_credentials: "invalid_credentials",
  username_taken: "username_taken",
  // game servers and lobby
  unknown_server: "unknown_server",
  server_closed: "server_closed",
  maintenance: "maintenance",
  channel_not_found: "channel_not_found",
  channel_full: "channel_full",
  not_in_channel: "not_in_channel",
  room_not_found: "room_not_found",
  room_full: "room_full",
  wrong_password: "wrong_password",
  invite_only: "invite_only",
  room_in_game: "room_in_game",
  kicked_from_room: "kicked_from_room",
  already_in_room: "already_in_room",
  not_in_room: "not_in_room",
  not_host: "not_host",
  not_enough_players: "not_enough_players",
  players_not_ready: "players_not_ready",
  not_in_game: "not_in_game",
  max_below_count: "max_below_count",
  not_friends: "not_friends",
  invitee_offline: "invitee_offline",
  // friends
  already_friends: "already_friends",
  already_pending: "already_pending",
  too_many_pending: "too_many_pending",
  too_many_requests: "too_many_requests",
  user_not_found: "user_not_found",
  cannot_befriend_self: "cannot_befriend_self",
  request_not_found: "request_not_found",
  // moderation
  muted: "muted",
  banned: "banned",
  cannot_moderate_self: "cannot_moderate_self",
  last_admin: "last_admin",
  not_sanctioned: "not_sanctioned",
  message_not_found: "message_not_found",
  report_not_found: "report_not_found",
  already_resolved: "already_resolved",
  cannot_ignore_self: "cannot_ignore_self",
  too_many_ignored: "too_many_ignored",
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  /** For invalid_payload: the dotted path of the first offending field. */
  field?: string;
  /** For rate_limited: how long to wait before the same request can succeed. */
  retryAfterMs?: number;
}

/** The one reply shape of every acknowledged request. */
export type Ack<T = null> = { ok: true; data: T } | { ok: false; error: ErrorBody };
export type AckCallback<T = null> = (reply: Ack<T>) => void;

export function ok<T>(data: T): Ack<T> {
  return { ok: true, data };
}

export function fail(code: ErrorCode, message: string, field?: string): { ok: false; error: ErrorBody } {
  return { ok: false, error: field === undefined ? { code, message } : { code, message, field } };
}
