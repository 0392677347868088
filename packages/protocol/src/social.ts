import { z } from "zod";
import { emptyPayload } from "./empty.js";
import type { UserRef } from "./auth.js";
import type { AckCallback } from "./errors.js";
import type { GameServerSummary } from "./lobby.js";
import type { NoticeServerEvents } from "./notices.js";

/** Where an online player is. Every field is null when not applicable. */
export interface Location {
  server: string | null;
  channel: number | null;
  roomId: string | null;
  inGame: boolean;
}

export type PresenceStatus = "online" | "offline";

export interface FriendView extends UserRef {
  status: PresenceStatus;
  /** null when offline (or appearing offline). */
  location: Location | null;
}

export interface FriendRequestView {
  user: UserRef;
  createdAt: string;
}

export interface FriendsSnapshot {
  friends: FriendView[];
  incoming: FriendRequestView[];
  outgoing: FriendRequestView[];
  blocked: UserRef[];
}

const userId = z.string().min(1).max(64);

export const socialSchemas = {
  // Anything a client sends here is ignored: identity comes from the session.
  "presence:announce": z.unknown(),
  "presence:appear_offline": z.object({ appearOffline: z.boolean() }),
  "friends:list": emptyPayload,
  "friends:request": z.object({ username: z.string().min(1).max(64) }),
  "friends:accept": z.object({ userId }),
  "friends:decline": z.object({ userId }),
  "friends:cancel": z.object({ userId }),
  "friends:remove": z.object({ userId }),
  "friends:block": z.object({ userId }),
  "friends:unblock": z.object({ userId }),
  "servers:list": emptyPayload,
} as const;

export type FriendRequestOutcome = "requested" | "accepted";

/** Namespace `/`: every signed-in client connects here. Friends, presence, server list. */
export interface SocialClientEvents {
  "presence:announce": (payload: unknown, ack: AckCallback<{ announced: boolean }>) => void;
  "presence:appear_offline": (
    payload: { appearOffline: boolean },
    ack: AckCallback<{ appearOffline: boolean }>,
  ) => void;
  "friends:list": (payload: Record<string, never> | undefined, ack: AckCallback<FriendsSnapshot>) => void;
  "friends:request": (
    payload: { username: string },
    ack: AckCallback<{ outcome: FriendRequestOutcome }>,
  ) => void;
  "friends:accept": (payload: { userId: string }, ack: AckCallback<FriendView>) => void;
  "friends:decline": (payload: { userId: string }, ack: AckCallback) => void;
  "friends:cancel": (payload: { userId: string }, ack: AckCallback) => void;
  "friends:remove": (payload: { userId: string }, ack: AckCallback) => void;
  "friends:block": (payload: { userId: string }, ack: AckCallback) => void;
  "friends:unblock": (payload: { userId: string }, ack: AckCallback) => void;
  "servers:list": (payload: Record<string, never> | undefined, ack: AckCallback<GameServerSummary[]>) => void;
}

export interface SocialServerEvents extends NoticeServerEvents {
  "friend:online": (payload: { user: UserRef; location: Location }) => void;
  "friend:offline": (payload: { user: UserRef }) => void;
  "friend:moved": (payload: { user: UserRef; location: Location }) => void;
  "friend:requested": (payload: FriendRequestView) => void;
  "friend:request_cancelled": (payload: { user: UserRef }) => void;
  "friend:request_declined": (payload: { user: UserRef }) => void;
  "friend:accepted": (payload: FriendView) => void;
  "friend:removed": (payload: { user: UserRef }) => void;
  "servers:updated": (payload: GameServerSummary[]) => void;
}
