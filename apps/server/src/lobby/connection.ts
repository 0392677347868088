import { ErrorCode } from "@rally/protocol";
import type { SocketInfo } from "../cluster/registry.js";
import { handlers } from "../realtime/handle.js";
import { ConnectWork, infoOf } from "../realtime/registrations.js";
import { connectError } from "../realtime/socket-auth.js";
import { sendSnapshot } from "../realtime/snapshot.js";
import type { IoSocket } from "../types.js";
import { channelRoom, slugOf, waitingRoom } from "../types.js";
import { channelHandlers } from "./channel-handlers.js";
import { historyFor } from "./chat.js";
import type { LobbyHub } from "./hub.js";
import { roomChatKey, roomHandlers } from "./room-handlers.js";
import { freeSeatAfterGrace, takeLostSeat } from "./seat-loss.js";
import { roomSummary, roomView } from "./store.js";

const graceTimer = (server: string, userId: string) => `lobby.seat-grace:${server}:${userId}`;
const SEAT_GRACE = "lobby.seat-grace";

/** Game servers are one dynamic parent namespace: `/servers/<slug>`, checked against the catalog. */
export function setupGameServerNamespaces(hub: LobbyHub): void {
  const parent = hub.namespaces.parent;

  parent.use(async (socket, next) => {
    try {
      const server = await hub.catalog.get(slugOf(socket));
      if (server?.status !== "open") {
        // The refused connect recreated a closed server's namespace: drop it again.
        hub.namespaces.removeLater(slugOf(socket));
        return next(connectError(ErrorCode.unknown_server, "No such game server, or it is closed"));
      }
      next();
    } catch {
      next(connectError(ErrorCode.internal, "Could not check the game server, try again"));
    }
  });

  const { registry, scheduler } = hub.ctx.cluster;
  const { log } = hub.ctx;
  // Built once and shared by every socket of every game server, as is the disconnect listener:
  // a connection allocates no closures of its own.
  const attach = handlers({ ...channelHandlers(hub), ...roomHandlers(hub) }, log);
  const registrations = new ConnectWork();
  const disconnectFailed = (err: unknown) => log.error({ err }, "lobby disconnect");
  function onDisconnect(this: IoSocket): void {
    const info = infoOf(this);
    void registrations
      .done(this)
      .then(() => registry.remove(info))
      .then((left) => (left === 0 ? onLastDisconnect(hub, info) : undefined))
      .catch(disconnectFailed);
  }
  parent.on("connection", (socket) => {
    attach(socket);
    const registered = registrations.track(socket, registry.add(infoOf(socket)));
    socket.on("disconnect", onDisconnect);
    void registered
      .then(() => onConnect(hub, socket))
      .catch((err) => {
        log.error({ err }, "lobby connect");
        // Only this namespace: `/` on the same Manager stays connected.
        socket.disconnect();
      });
  });
  // A node died with players connected: another node treats them as dropped, once.
  registry.onLost(async (lost) => {
    if (lost.nsp.startsWith("/servers/") && (await registry.count(lost.nsp, lost.userId)) === 0)
      await onLastDisconnect(hub, lost);
  });
  scheduler.define(SEAT_GRACE, (payload) => releaseSeat(hub, payload as SocketInfo));
}

async function onConnect(hub: LobbyHub, socket: IoSocket): Promise<void> {
  const slug = slugOf(socket);
  const { userId } = socket.data;
  const server = await hub.catalog.get(slug);
  // Only this namespace: `/` on the same Manager stays connected.
  if (!server) return void socket.disconnect();
  if ((await hub.population(slug)) > server.maxPopulation) {
    socket.emit("server:closing", { reason: "This server is full, try another one" });
    return void socket.disconnect();
  }
  // A recovered socket gets its old rooms back: keep only those the store still says it is in.
  if (socket.recovered) {
    for (const joined of socket.rooms) {
      if (joined.startsWith("channel:") || joined.startsWith("room:")) socket.leave(joined);
    }
  }
  // Independent reads go together (with Redis, in one pipelined round trip). Coming back within
  // the grace window restores the seat and the channel without a new join.
  const [, channel, seatedIn] = await Promise.all([
    hub.ctx.cluster.scheduler.cancel(graceTimer(slug, userId)),
    hub.store.channelOf(slug, userId),
    hub.store.roomOf(userId),
  ]);
  if (channel !== null) socket.join(channelRoom(channel));
  let room = seatedIn?.server === slug ? seatedIn : null;
  if (room) {
    socket.join(waitingRoom(room.id));
    if (room.members.find((m) => m.id === userId)?.reconnecting) {
      room = (await hub.store.setReconnecting(userId, false)) ?? room;
      hub.announceRoom(room);
    }
  }
  const [summary, channels, history, roomHistory, seatLost, rooms] = await Promise.all([
    hub.summary(server),
    hub.channels(server),
    channel !== null ? historyFor(hub, `${slug}|channel|${channel}`, userId) : [],
    room ? historyFor(hub, roomChatKey(room.id), userId) : [],
    room ? null : takeLostSeat(hub, slug, userId),
    hub.store.listRooms(slug),
  ]);
  sendSnapshot(socket, "server:welcome", {
    server: summary,
    channels,
    restored: { channel, history, room: room ? roomView(room) : null, roomHistory, seatLost },
  });
  sendSnapshot(socket, "rooms:snapshot", rooms.map(roomSummary));
  hub.ctx.bus.emit("server.welcomed", { socket, server: slug });
  hub.onPopulationChange();
  await hub.publishLocation(slug, userId);
}

/** The player's last socket on this game server closed, on whatever node. */
async function onLastDisconnect(hub: LobbyHub, socket: SocketInfo): Promise<void> {
  const slug = socket.nsp.slice("/servers/".length);
  const { userId } = socket;
  hub.onPopulationChange();
  const room = await hub.store.roomOf(userId);
  const seated = room?.server === slug;
  if (seated) {
    const marked = await hub.store.setReconnecting(userId, true);
    if (marked) hub.announceRoom(marked);
  }
  const channel = await hub.store.channelOf(slug, userId);
  if (!seated && channel === null) {
    hub.ctx.bus.emit("location.changed", { userId, location: null });
    return;
  }
  // In the cluster's scheduler: it fires once, on any node, even if this one is gone by then.
  await hub.ctx.cluster.scheduler.schedule(
    graceTimer(slug, userId),
    SEAT_GRACE,
    Date.now() + hub.ctx.config.seatGraceMs,
    socket,
  );
}

/** The grace window ended without a reconnect: the seat and the channel place are freed. */
async function releaseSeat(hub: LobbyHub, socket: SocketInfo): Promise<void> {
  const slug = socket.nsp.slice("/servers/".length);
  const { userId } = socket;
  if ((await hub.ctx.cluster.registry.count(socket.nsp, userId)) > 0) return;
  const current = await hub.store.roomOf(userId);
  if (current?.server === slug) await freeSeatAfterGrace(hub, { id: userId, name: socket.username }, current);
  const previous = await hub.store.leaveChannel(slug, userId);
  if (previous !== null) await hub.announceChannels(slug, previous);
  hub.ctx.bus.emit("location.changed", { userId, location: null });
}
