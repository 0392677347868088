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
  invalid_credentials: "Wrong username or password.",
  username_taken: "That username is taken. Try another one.",
  rate_limited: "Too many attempts. Wait a moment and try again.",
  unauthorized: "Your session has expired. Please sign in again.",
};

export function describe(error: ErrorBody | undefined, fallback = "Something went wrong."): string {
  if (!error) return fallback;
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
  const data = text ? JSON.parse(text) : null;
  if (!response.ok)
    throw new RequestError(data?.error?.code ?? "http", describe(data?.error, `Error ${response.status}`));
  return data as T;
}
