import type { ServerToClientEvents } from "@rally/protocol";
import type { IoSocket } from "../types.js";

/** socket.io's EVENT packet type (socket.io-parser's PacketType.EVENT). */
const EVENT = 2;

/**
 * Sends a large connect-time snapshot (the welcome, the room list) to this socket only, as
 * `socket.emit` does when connection-state recovery is off. With recovery on, every private emit
 * is also kept in the adapter's replay buffer for up to 90 s, about 3 KB per player for these two,
 * yet a snapshot is never replayed: a recovered socket connects again and gets fresh ones. The
 * small `notices:snapshot` that follows is still emitted as usual: a client can only recover once
 * it has received a buffered packet (its offset), and that one gives it one at once.
 */
export function sendSnapshot<E extends keyof ServerToClientEvents>(
  socket: IoSocket,
  event: E,
  payload: Parameters<ServerToClientEvents[E]>[0],
): void {
  // Socket#packet is what `emit` calls without recovery; it is not in socket.io's typings.
  const raw = socket as unknown as { packet(packet: { type: number; data: unknown[] }): void };
  raw.packet({ type: EVENT, data: [event, payload] });
}
