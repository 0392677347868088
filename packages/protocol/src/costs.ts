import type { InboundEvent } from "./index.js";

/**
 * What each inbound event costs from the sender's budget (see `Limits.socketBudget` and
 * `Limits.userBudget`), in rough proportion to the server time it takes (a unit is about half a
 * millisecond): a chat line is 1, a database read 2–5, a broadcast to a whole server 8, a chain
 * of database writes or a password hash 10–15.
 */
export const EventCost: Partial<Record<InboundEvent, number>> = {
  "presence:announce": 3,
  "presence:appear_offline": 4,
  "friends:list": 5,
  "friends:request": 15,
  "friends:accept": 10,
  "friends:decline": 5,
  "friends:cancel": 5,
  "friends:remove": 5,
  "friends:block": 10,
  "friends:unblock": 5,
  "servers:list": 2,
  "channel:join": 12,
  "channel:leave": 4,
  "channel:chat": 3,
  "rooms:list": 2,
  "room:create": 15,
  "room:join": 10,
  "room:leave": 4,
  "room:kick": 4,
  "room:update": 8,
  "room:ready": 1,
  "room:start": 4,
  "room:end": 4,
  "room:chat": 3,
  "room:invite": 5,
  // A relay with one in-memory lookup, sent up to 20 times a second while a game runs.
  "game:move": 0.25,
  "notices:create": 8,
  "notices:list": 3,
  "notices:delete": 5,
  "maintenance:start": 10,
  "maintenance:cancel": 5,
  "stats:get": 4,
  "stats:history": 3,
  "moderation:mute": 8,
  "moderation:unmute": 5,
  "moderation:ban": 10,
  "moderation:unban": 5,
  "players:search": 4,
  "player:get": 5,
  "audit:list": 5,
  "reports:list": 4,
  "reports:resolve": 5,
  "report:create": 10,
  "ignore:add": 5,
  "ignore:remove": 4,
  "ignore:list": 3,
};

/** The cost of an event missing from the table (tests/hardening/costs.test.ts lists any). */
export const DefaultEventCost = 5;

/** What opening a connection (a handshake: token check, session lookup, welcome) costs the user. */
export const ConnectCost = 15;
