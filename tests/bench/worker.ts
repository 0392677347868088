// A load-generating process: holds a share of the bench players' connections (one engine
// connection per player, multiplexing `/` and the game server like the real client) and runs
// whatever phase the orchestrator asks for, reporting raw measurements back over IPC.
import { Manager, type Socket } from "socket.io-client";
import { now, serve } from "./ipc.js";

interface Player {
  index: number;
  manager: Manager;
  root: Socket;
  game: Socket | null;
  received: number;
}

const TIMEOUT_MS = 60_000;
const players = new Map<number, Player>();
const deliveries: number[] = [];
const alerts: { name: string; at: number }[] = [];

function opened(socket: Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", (error) => reject(error));
  });
}

async function ack(socket: Socket, event: string, payload: unknown = {}): Promise<any> {
  const reply = await socket.timeout(TIMEOUT_MS).emitWithAck(event, payload);
  if (!reply?.ok) throw new Error(`${event}: ${reply?.error?.code ?? "no reply"}`);
  return reply.data;
}

function counted(player: Player, socket: Socket): Socket {
  socket.onAny(() => {
    player.received++;
  });
  return socket;
}

interface ConnectSpec {
  index: number;
  token: string;
  channel: number | null;
}

async function connectOne(url: string, slug: string | null, spec: ConnectSpec, announce: boolean) {
  const started = now();
  const manager = new Manager(url, { transports: ["websocket"], reconnection: false, timeout: TIMEOUT_MS });
  const player: Player = { index: spec.index, manager, root: null as never, game: null, received: 0 };
  players.set(spec.index, player);
  player.root = counted(player, manager.socket("/", { auth: { token: spec.token } }));
  await opened(player.root);
  const handshakeMs = now() - started;
  if (announce) await ack(player.root, "presence:announce");
  if (slug) {
    const game = counted(player, manager.socket(`/servers/${slug}`, { auth: { token: spec.token } }));
    game.on("channel:message_posted", (message: { text: string }) => {
      const sent = Number(message.text.slice(2));
      if (Number.isFinite(sent)) deliveries.push(now() - sent);
    });
    player.game = game;
    await opened(game);
    if (spec.channel !== null) await ack(game, "channel:join", { channel: spec.channel });
  }
  player.root.on("friend:online", ({ user }: { user: { name: string } }) => {
    alerts.push({ name: user.name, at: now() });
  });
  return { handshakeMs, totalMs: now() - started };
}

/** Runs `task` for each item at once; returns the successes' results and the failures' messages. */
async function all<T, R>(items: T[], task: (item: T) => Promise<R>) {
  const started = now();
  const settled = await Promise.allSettled(items.map(task));
  const results: R[] = [];
  const failures: string[] = [];
  for (const outcome of settled) {
    if (outcome.status === "fulfilled") results.push(outcome.value);
    else failures.push(String(outcome.reason?.message ?? outcome.reason));
  }
  return { started, finished: now(), results, failures };
}

const game = (index: number) => {
  const socket = players.get(index)?.game;
  if (!socket) throw new Error(`player ${index} is not on a game server`);
  return socket;
};

serve({
  connect: ({ url, slug, specs, announce }) =>
    all(specs as ConnectSpec[], (spec) =>
      connectOne(url as string, (slug as string | null) ?? null, spec, Boolean(announce)),
    ),
  /** Messages each player received since the last call (then starts counting afresh). */
  messages() {
    const counts = [...players.values()].map((p) => p.received);
    for (const player of players.values()) player.received = 0;
    return counts;
  },
  join: ({ moves }) =>
    all(moves as { index: number; channel: number }[], async ({ index, channel }) => {
      const started = now();
      await ack(game(index), "channel:join", { channel });
      return now() - started;
    }),
  chat: ({ senders }) =>
    all(senders as number[], (index) => ack(game(index), "channel:chat", { text: `t:${now()}` })),
  /** Delivery latencies of chat messages seen since the last call. */
  deliveries: () => deliveries.splice(0),
  /** friend:online alerts seen since the last call. */
  alerts: () => alerts.splice(0),
  /** A player comes online and announces; returns when the announce was sent. */
  async announce({ url, index, token }) {
    const manager = new Manager(url as string, { transports: ["websocket"], reconnection: false });
    const root = manager.socket("/", { auth: { token } });
    players.set(index as number, { index: index as number, manager, root, game: null, received: 0 });
    await opened(root);
    const sentAt = now();
    await ack(root, "presence:announce");
    return sentAt;
  },
  createRoom: async ({ index, maxPlayers }) =>
    (
      await ack(game(index as number), "room:create", {
        title: `Bench ${index}`,
        maxPlayers,
        mode: "deathmatch",
        visibility: "public",
      })
    ).id,
  race: ({ indices, roomId }) =>
    all(indices as number[], (index) => ack(game(index), "room:join", { roomId })),
  /** Each player joins its room, readies and leaves, over and over, until the time is up. */
  churn: ({ seats, durationMs }) => {
    const until = now() + (durationMs as number);
    return all(seats as { index: number; roomId: string }[], async ({ index, roomId }) => {
      const latencies: number[] = [];
      const timed = async (event: string, payload: unknown) => {
        const started = now();
        await ack(game(index), event, payload);
        latencies.push(now() - started);
      };
      while (now() < until) {
        await timed("room:join", { roomId });
        await timed("room:ready", { ready: true });
        await timed("room:leave", {});
      }
      return latencies;
    });
  },
  close() {
    for (const player of players.values()) {
      player.game?.close();
      player.root.close();
    }
    players.clear();
  },
});
process.send?.({ ready: true });
