import crypto from "node:crypto";
import { Manager, type Socket } from "socket.io-client";
import { createDb } from "../../apps/server/src/db.js";
import type { TestServer } from "../support/server.js";

export interface StormPlayer {
  id: string;
  token: string;
}

/**
 * Players with live sessions, written straight to the database: hashing a password per player
 * would make a storm of 150 take longer than the rest of the file.
 */
export async function makePlayers(server: TestServer, count: number): Promise<StormPlayer[]> {
  const db = createDb(server.config.databaseUrl);
  const prefix = crypto.randomBytes(3).toString("hex");
  const players = Array.from({ length: count }, (_, i) => ({
    id: `storm-${prefix}-${i}`,
    name: `s${prefix}${i}`,
    sessionId: crypto.randomBytes(18).toString("base64url"),
  }));
  await db.user.createMany({
    data: players.map((p) => ({ id: p.id, username: p.name, usernameKey: p.name, passwordHash: "-" })),
  });
  const expiresAt = new Date(Date.now() + 3_600_000);
  await db.session.createMany({ data: players.map((p) => ({ id: p.sessionId, userId: p.id, expiresAt })) });
  await db.$disconnect();
  return players.map((p) => ({ id: p.id, token: server.app.jwt.sign({ sid: p.sessionId, sub: p.id }) }));
}

export interface Connected {
  root: Socket;
  game: Socket;
  /** Every event either socket received, by name. */
  counts: Map<string, number>;
}

function opened(socket: Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", reject);
  });
}

/** One engine connection per player, `/` and the game server on it, as the game client does. */
export async function connectPlayer(url: string, token: string, slug: string): Promise<Connected> {
  const manager = new Manager(url, { transports: ["websocket"], reconnection: false, timeout: 30_000 });
  const counts = new Map<string, number>();
  const count = (event: string) => counts.set(event, (counts.get(event) ?? 0) + 1);
  const root = manager.socket("/", { auth: { token } });
  root.onAny(count);
  await opened(root);
  const game = manager.socket(`/servers/${slug}`, { auth: { token } });
  game.onAny(count);
  await opened(game);
  return { root, game, counts };
}

export function closeAll(connections: Connected[]): void {
  for (const { root, game } of connections) {
    game.close();
    root.close();
  }
}
