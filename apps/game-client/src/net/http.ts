import type { ErrorBody } from "@rally/protocol";

export class RequestError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Messages a player can read, for codes whose server message is too terse. */
const WORDS: Record<string, string> = {
  invalid_credentials: "Wrong username or password. New here? Press Register to create this account.",
  username_taken: "That username is taken. Try another one.",
  rate_limited: "Too many attempts. Wait a moment and try again.",
  unauthorized: "Your session has expired. Please sign in again.",
  kicked_from_room: "That player was kicked from this room and cannot be invited back.",
  invitee_offline: "That friend is not on this server right now.",
  players_not_ready: "Everyone must be ready before the game can start.",
  not_enough_players: "You need at least one other player to start.",
  room_full: "That room is full.",
  room_in_game: "That room is already in a game.",
  wrong_password: "Wrong room password.",
  already_pending: "You already asked — waiting for their answer.",
  user_not_found: "Nobody has that username.",
};

/** Words for a refusal in a particular place, when the generic words would mislead. */
export function describe(
  error: ErrorBody | undefined,
  fallback = "Something went wrong.",
  place = "",
): string {
  if (!error) return fallback;
  if (error.code === "rate_limited" && place === "chat")
    return "You're sending messages too fast — wait a few seconds.";
  if (WORDS[error.code]) return WORDS[error.code]!;
  if (error.code === "invalid_payload" && error.field === "username")
    return "Usernames are 3–20 letters, digits or _.";
  if (error.code === "invalid_payload" && error.field === "password")
    return "Passwords are 8–128 characters.";
  return error.message || fallback;
}

export async function api<T>(method: string, url: string, body?: unknown, token?: string | null): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: {
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new RequestError("network", "Cannot reach the server. Check your connection.");
  }
  const text = await response.text();
  let data: { error?: ErrorBody } | null = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    // A proxy's or a restarting server's HTML page: not our JSON.
  }
  if (response.status >= 500 && !data?.error)
    throw new RequestError("network", "The server is not answering. Trying again…");
  if (!response.ok)
    throw new RequestError(data?.error?.code ?? "http", describe(data?.error, `Error ${response.status}`));
  return data as T;
}
