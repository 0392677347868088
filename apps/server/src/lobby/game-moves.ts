import { ErrorCode, Limits } from "@rally/protocol";
import { AppError } from "../realtime/app-error.js";
import type { HandlerTable } from "../realtime/handle.js";
import type { IoSocket } from "../types.js";
import { slugOf, waitingRoom } from "../types.js";
import type { LobbyHub } from "./hub.js";

/**
 * Each moving socket's current one-second window (a fixed window is enough for a relay). Kept
 * beside the socket rather than in a closure per socket: only sockets that move pay for it, and it
 * goes with the socket.
 */
const windows = new WeakMap<IoSocket, { start: number; count: number }>();

/** Counts a move; false once the socket has made `Limits.movesPerSecond` in this window. */
function allowMove(socket: IoSocket): boolean {
  const now = Date.now();
  let window = windows.get(socket);
  if (!window) {
    window = { start: 0, count: 0 };
    windows.set(socket, window);
  }
  if (now - window.start >= 1_000) {
    window.start = now;
    window.count = 0;
  }
  window.count++;
  return window.count <= Limits.movesPerSecond;
}

/**
 * `game:move`: a player's avatar position, relayed to the other players of the room while it is
 * in a game. Positions are not stored: each client holds the latest one it heard per player.
 * The limit is per socket, in memory: a relay needs no shared state.
 */
export function gameMoveHandlers(hub: LobbyHub): HandlerTable {
  return {
    "game:move": async ({ x, y }, { socket, userId }) => {
      if (!allowMove(socket)) {
        throw new AppError(ErrorCode.rate_limited, `At most ${Limits.movesPerSecond} moves a second`);
      }
      const room = await hub.store.roomOf(userId);
      if (!room || room.server !== slugOf(socket) || room.state !== "in_game") {
        throw new AppError(ErrorCode.not_in_game, "Moves are only relayed during a game");
      }
      socket.to(waitingRoom(room.id)).emit("game:moved", { userId, x, y });
    },
  };
}
