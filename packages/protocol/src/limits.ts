/** Limits a client can rely on; the server enforces every one of them. */
export const Limits = {
  /** Largest Socket.IO packet the server accepts; a larger one closes only that connection. */
  maxPayloadBytes: 16 * 1024,
  usernamePattern: /^[A-Za-z0-9_]{3,20}$/,
  passwordMin: 8,
  passwordMax: 128,
  chatMax: 300,
  chatHistory: 50,
  chatBurst: 5,
  chatWindowMs: 5_000,
  roomTitleMax: 40,
  roomPlayersMin: 2,
  roomPlayersMax: 16,
  noticeTextMax: 500,
  maxPendingOutgoing: 50,
  friendRequestsPerHour: 30,
  /** The shared game arena, in arena units: avatar positions are integers inside it. */
  arenaWidth: 960,
  arenaHeight: 540,
  /** Position updates a socket may send per second; the excess is dropped. */
  movesPerSecond: 20,
  /** How long the server waits for a client to answer a server-to-client request. */
  serverRequestTimeoutMs: 30_000,
} as const;
