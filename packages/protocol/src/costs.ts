import type { InboundEvent } from "./index.js";

/**
 * What each inbound event costs from the sender's budget (see `Limits.socketBudget` and
 * `Limits.userBudget`), in rough proportion to the work it causes: a chat line is 1, a read from
 * the database 2–3, a database write or a broadcast to a whole server 5, a password hash 10.
 */
export const EventCost = {
  "presence:announce": 2,
  "presence:appear_offline": 3,
  "friends:list": 3,
  "friends:request": 5,
  "friends:accept": 5,
  "friends:decline": 3,
  "friends:cancel": 3,
  "friends:remove": 3,
  "friends:block": 5,
  "friends:unblock": 3,
  "servers:list": 2,
  "channel:join": 5,
  "channel:leave": 3,
  "channel:chat": 1,
  "rooms:list": 1,
  "room:create": 10,
  "room:join": 5,
  "room:leave": 3,
  "room:kick": 3,
  "room:update": 5,
  "room:ready": 1,
  "room:start": 3,
  "room:end": 3,
  "room:chat": 1,
  "room:invite": 3,
  "notices:create": 5,
  "notices:list": 2,
  "notices:delete": 3,
  "maintenance:start": 5,
  "maintenance:cancel": 3,
  "stats:get": 2,
} as const satisfies Record<InboundEvent, number>;
