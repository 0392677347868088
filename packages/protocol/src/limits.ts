/** Limits a client can rely on; the server enforces every one of them. */
export const Limits = {
  /** Largest Socket.IO packet the server accepts; a larger one closes only that connection. */
  maxPayloadBytes: 16 * 1024,
  /** Deepest nesting of arrays and objects an inbound payload may have (invalid_payload beyond). */
  maxPayloadDepth: 32,
  usernamePattern: /^[A-Za-z0-9_]{3,20}$/,
  passwordMin: 8,
  passwordMax: 128,
  chatMax: 300,
  chatHistory: 50,
  /** Chat is a token bucket: a burst of `chatBurst` lines, refilled at chatBurst per chatWindowMs. */
  chatBurst: 5,
  chatWindowMs: 5_000,
  roomTitleMax: 40,
  roomPlayersMin: 2,
  roomPlayersMax: 16,
  noticeTextMax: 500,
  maxPendingOutgoing: 50,
  friendRequestsPerHour: 30,
  moderationReasonMax: 200,
  /** Mutes and bans last at least a minute; a mute at most 30 days, a timed ban at most a year. */
  sanctionMinSeconds: 60,
  muteMaxSeconds: 30 * 24 * 3600,
  banMaxSeconds: 365 * 24 * 3600,
  /** Reports a player may file per window. */
  reportBurst: 5,
  reportWindowMs: 10 * 60_000,
  /** Chat lines kept before and after a reported message. */
  reportContextLines: 5,
  maxIgnored: 200,
  /** The shared game arena, in arena units: avatar positions are integers inside it. */
  arenaWidth: 960,
  arenaHeight: 540,
  /** Position updates a socket may send per second; the excess is dropped. */
  movesPerSecond: 20,
  /** Open connections one user may have to one namespace on one node (too_many_connections). */
  maxSocketsPerUser: 5,
  /**
   * Every inbound event costs units (`EventCost`) from two token buckets: the socket's and the
   * user's (all their sockets). Short of units, the event is refused with rate_limited.
   */
  socketBudget: { burst: 100, perSecond: 25 },
  userBudget: { burst: 200, perSecond: 50 },
  /** A socket refused this many times within floodStrikeWindowMs is disconnected. */
  floodStrikes: 20,
  floodStrikeWindowMs: 10_000,
  /** Wrong private-room passwords a minute, per player and per room (rate_limited beyond). */
  roomPasswordTriesPerUser: 5,
  roomPasswordTriesPerRoom: 20,
  /** How long the server waits for a client to answer a server-to-client request. */
  serverRequestTimeoutMs: 30_000,
} as const;
