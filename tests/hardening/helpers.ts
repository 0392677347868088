import type { Socket } from "socket.io-client";
import { ok, waitFor } from "../support/client.js";
import type { TestServer } from "../support/server.js";
import { newPlayer, type Player, uniqueName } from "../lobby/helpers.js";

export { uniqueName };

/**
 * Sends a hand-written Socket.IO EVENT packet (what any client could put on the wire, bypassing
 * socket.io-client's encoder) and resolves with the ack's arguments, or null if none comes.
 */
export function rawEmit(socket: Socket, argsJson: string, ackId: number | null, ms = 3_000) {
  const name = (socket as unknown as { nsp: string }).nsp;
  const nsp = name === "/" ? "" : `${name},`;
  const engine = socket.io.engine;
  return new Promise<unknown[] | null>((resolve) => {
    if (ackId === null) {
      engine.send(`2${nsp}${argsJson}`);
      return resolve(null);
    }
    const prefix = `3${nsp}${ackId}`;
    const timer = setTimeout(() => {
      engine.off("message", onMessage);
      resolve(null);
    }, ms);
    const onMessage = (data: unknown) => {
      if (typeof data !== "string" || !data.startsWith(prefix)) return;
      clearTimeout(timer);
      engine.off("message", onMessage);
      resolve(JSON.parse(data.slice(prefix.length)));
    };
    engine.on("message", onMessage);
    engine.send(`2${nsp}${ackId}${argsJson}`);
  });
}

/** Sends a raw packet on the socket's connection and resolves with the first reply starting with `prefix`. */
export function rawPacket(socket: Socket, packet: string, prefix: string, ms = 3_000) {
  const engine = socket.io.engine;
  return new Promise<string | null>((resolve) => {
    const timer = setTimeout(() => {
      engine.off("message", onMessage);
      resolve(null);
    }, ms);
    const onMessage = (data: unknown) => {
      if (typeof data !== "string" || !data.startsWith(prefix)) return;
      clearTimeout(timer);
      engine.off("message", onMessage);
      resolve(data);
    };
    engine.on("message", onMessage);
    engine.send(packet);
  });
}

/** `depth` nested arrays as JSON text: `[[[ ... ]]]`. */
export const deepArrayJson = (depth: number) => "[".repeat(depth) + "]".repeat(depth);

/** Players in channel 1 of eu-1 who chat with each other to show the server still serves them. */
export async function bystanders(server: TestServer, count: number, slug = "eu-1"): Promise<Player[]> {
  const players: Player[] = [];
  for (let i = 0; i < count; i++) {
    const player = await newPlayer(server, slug, "by");
    await ok(player.socket, "channel:join", { channel: 1 });
    players.push(player);
  }
  return players;
}

/**
 * One chat line from `from`, acknowledged and delivered to every other bystander; resolves with
 * the round trip in ms (emit to ack).
 */
export async function chatRoundTrip(from: Player, others: Player[], text: string): Promise<number> {
  const deliveries = others.map((p) =>
    waitFor(p.socket, "channel:message_posted", 5_000, (m: { text: string }) => m.text === text),
  );
  const started = performance.now();
  await ok(from.socket, "channel:chat", { text });
  const rtt = performance.now() - started;
  await Promise.all(deliveries);
  return rtt;
}

export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
