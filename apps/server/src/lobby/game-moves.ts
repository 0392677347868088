import { ErrorCode, Limits } from "@rally/protocol";
import { AppError } from "../realtime/app-error.js";
import { handle } from "../realtime/handle.js";
import type { IoSocket } from "../types.js";
import { waitingRoom } from "../types.js";
import type { LobbyHub } from "./hub.js";

/** Allows `perSecond` hits in any one-second window (a fixed window is enough for a relay). */
function perSecondLimiter(perSecond: number): () => boolean {
  let windowStart = 0;
  let count = 0;
  return () => {
    const now = Date.now();
    if (now - windowStart >= 1_000) {
      windowStart = now;
      count = 0;
    }
    count++;
    return count <= perSecond;
  };
}

/**
 * `game:move`: a player's avatar position, relayed to the other players of the room while it is
 * in a game. Positions are not stored: each client holds the latest one it heard per player.
 * The limit is per socket, in memory: a relay needs no shared state.
 */
export function registerGameMoves(hub: LobbyHub, socket: IoSocket): void {
  const allow = perSecondLimiter(Limits.movesPerSecond);
  handle(
    socket,
    "game:move",
    async ({ x, y }, { userId }) => {
      if (!allow()) {
        throw new AppError(ErrorCode.rate_limited, `At most ${Limits.movesPerSecond} moves a second`);
      }
      const room = await hub.store.roomOf(userId);
      if (!room || room.server !== socket.nsp.name.slice("/servers/".length) || room.state !== "in_game") {
        throw new AppError(ErrorCode.not_in_game, "Moves are only relayed during a game");
      }
      socket.to(waitingRoom(room.id)).emit("game:moved", { userId, x, y });
    },
    hub.ctx.log,
  );
}
