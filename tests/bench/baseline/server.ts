// The bare Socket.IO baseline: the same socket.io version as Rally, a JWT check in the handshake,
// rooms joined and broadcast to, state in plain maps. It speaks the event names the bench clients
// use, so the same load runs against both. No database, no validation beyond the token.
import http from "node:http";
import { createSigner, createVerifier } from "fast-jwt";
import { Server, type Socket } from "socket.io";
import { serve } from "../ipc.js";
import { resetLoop, stats } from "../server-stats.js";

const { secret } = JSON.parse(process.argv[2]!) as { secret: string };
const sign = createSigner({ key: secret, expiresIn: 3_600_000 });
const verify = createVerifier({ key: secret });

type Ack = (reply: unknown) => void;
const ok = (data: unknown = null) => ({ ok: true, data });
const fail = (code: string) => ({ ok: false, error: { code, message: code } });

const friends = new Map<string, string[]>();
const announced = new Set<string>();
const rooms = new Map<string, { max: number; members: Map<string, boolean> }>();
let nextRoom = 1;

const httpServer = http.createServer();
const io = new Server(httpServer, { pingInterval: 10_000, pingTimeout: 5_000 });

const authenticate = (socket: Socket, next: (err?: Error) => void) => {
  try {
    const claims = verify(String(socket.handshake.auth?.token ?? "")) as { sub: string; name: string };
    socket.data = { userId: claims.sub, name: claims.name };
    socket.join(`user:${claims.sub}`);
    next();
  } catch {
    next(new Error("unauthorized"));
  }
};

io.use(authenticate);
io.on("connection", (socket) => {
  socket.on("presence:announce", (_payload: unknown, ack: Ack) => {
    const { userId, name } = socket.data;
    announced.add(userId);
    const online = (friends.get(userId) ?? []).filter((id) => announced.has(id)).map((id) => `user:${id}`);
    if (online.length) socket.broadcast.to(online).emit("friend:online", { user: { id: userId, name } });
    ack?.(ok({ announced: true }));
  });
});

const servers = io.of(/^\/servers\/[a-z0-9-]+$/);
servers.use(authenticate);
servers.on("connection", (socket) => {
  const user = () => ({ id: socket.data.userId, name: socket.data.name });
  let channel: number | null = null;
  let roomId: string | null = null;

  socket.on("channel:join", ({ channel: next }: { channel: number }, ack: Ack) => {
    if (channel !== null && channel !== next) {
      socket.leave(`channel:${channel}`);
      socket.to(`channel:${channel}`).emit("channel:member_left", { channel, user: user() });
    }
    channel = next;
    socket.join(`channel:${next}`);
    socket.to(`channel:${next}`).emit("channel:member_joined", { channel: next, user: user() });
    ack?.(ok({ channel: next }));
  });
  socket.on("channel:chat", ({ text }: { text: string }, ack: Ack) => {
    if (channel === null) return ack?.(fail("not_in_channel"));
    socket.to(`channel:${channel}`).emit("channel:message_posted", { text, channel, from: user() });
    ack?.(ok({ text }));
  });

  const changed = (id: string) => {
    const room = rooms.get(id);
    if (!room) return;
    const members = [...room.members].map(([id, ready]) => ({ id, ready }));
    socket.nsp.to(`room:${id}`).emit("room:changed", { id, members });
  };
  socket.on("room:create", ({ maxPlayers }: { maxPlayers: number }, ack: Ack) => {
    const id = String(nextRoom++);
    rooms.set(id, { max: maxPlayers, members: new Map([[socket.data.userId, false]]) });
    roomId = id;
    socket.join(`room:${id}`);
    ack?.(ok({ id }));
  });
  socket.on("room:join", ({ roomId: id }: { roomId: string }, ack: Ack) => {
    const room = rooms.get(id);
    if (!room) return ack?.(fail("room_not_found"));
    if (room.members.size >= room.max) return ack?.(fail("room_full"));
    room.members.set(socket.data.userId, false);
    roomId = id;
    socket.join(`room:${id}`);
    changed(id);
    ack?.(ok({ id }));
  });
  socket.on("room:ready", ({ ready }: { ready: boolean }, ack: Ack) => {
    const room = roomId ? rooms.get(roomId) : undefined;
    if (!room || !roomId) return ack?.(fail("not_in_room"));
    room.members.set(socket.data.userId, ready);
    changed(roomId);
    ack?.(ok());
  });
  socket.on("room:leave", (_payload: unknown, ack: Ack) => {
    if (roomId) {
      rooms.get(roomId)?.members.delete(socket.data.userId);
      socket.leave(`room:${roomId}`);
      changed(roomId);
      roomId = null;
    }
    ack?.(ok());
  });
});

httpServer.listen(0, "127.0.0.1", () => {
  const address = httpServer.address();
  serve({
    prepare({ users, friendships }) {
      for (const [a, b] of friendships as [number, number][]) {
        friends.set(`u${a}`, [...(friends.get(`u${a}`) ?? []), `u${b}`]);
        friends.set(`u${b}`, [...(friends.get(`u${b}`) ?? []), `u${a}`]);
      }
      return Array.from({ length: users as number }, (_, i) => sign({ sub: `u${i}`, name: `bot${i}` }));
    },
    stats: ({ gc }) => stats(Boolean(gc)),
    resetLoop: () => resetLoop(),
    exit() {
      setTimeout(() => process.exit(0), 10);
    },
  });
  process.send?.({ ready: true, port: typeof address === "object" && address ? address.port : 0 });
});
