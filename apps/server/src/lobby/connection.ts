import { ErrorCode } from "@rally/protocol";
import { connectError } from "../realtime/socket-auth.js";
import type { IoSocket } from "../types.js";
import { channelRoom, waitingRoom } from "../types.js";
import { registerChannelHandlers } from "./channel-handlers.js";
import { historyFor } from "./chat.js";
import type { LobbyHub } from "./hub.js";
import { registerRoomHandlers, roomChatKey } from "./room-handlers.js";
import { freeSeatAfterGrace, takeLostSeat } from "./seat-loss.js";
import { roomSummary, roomView } from "./store.js";

const slugOf = (socket: IoSocket) => socket.nsp.name.slice("/servers/".length);
const graceKey = (server: string, userId: string) => `${server}|${userId}`;

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

  parent.on("connection", (socket) => {
    hub.playerConnected(slugOf(socket), socket.data.userId);
    registerChannelHandlers(hub, socket);
    registerRoomHandlers(hub, socket);
    socket.on("disconnect", () => {
      hub.playerDisconnected(slugOf(socket), socket.data.userId);
      void onDisconnect(hub, socket).catch((err) => hub.ctx.log.error({ err }, "lobby disconnect"));
    });
    void onConnect(hub, socket).catch((err) => {
      hub.ctx.log.error({ err }, "lobby connect");
      socket.disconnect();
    });
  });
}

async function onConnect(hub: LobbyHub, socket: IoSocket): Promise<void> {
  const slug = slugOf(socket);
  const { userId } = socket.data;
  const server = await hub.catalog.get(slug);
  // Only this namespace: `/` on the same Manager stays connected.
  if (!server) return void socket.disconnect();
  if (hub.population(slug) > server.maxPopulation) {
    socket.emit("server:closing", { reason: "This server is full, try another one" });
    return void socket.disconnect();
  }
  // Coming back within the grace window restores the seat and the channel without a new join.
  const timer = hub.graceTimers.get(graceKey(slug, userId));
  if (timer) {
    clearTimeout(timer);
    hub.graceTimers.delete(graceKey(slug, userId));
  }
  // A recovered socket gets its old rooms back: keep only those the store still says it is in.
  if (socket.recovered) {
    for (const joined of socket.rooms) {
      if (joined.startsWith("channel:") || joined.startsWith("room:")) socket.leave(joined);
    }
  }
  const channel = await hub.store.channelOf(slug, userId);
  if (channel !== null) socket.join(channelRoom(channel));
  let room = await hub.store.roomOf(userId);
  if (room?.server === slug) {
    socket.join(waitingRoom(room.id));
    if (room.members.find((m) => m.id === userId)?.reconnecting) {
      room = (await hub.store.setReconnecting(userId, false)) ?? room;
      hub.announceRoom(room);
    }
  } else {
    room = null;
  }
  socket.emit("server:welcome", {
    server: hub.summary(server),
    channels: await hub.channels(server),
    restored: {
      channel,
      history: channel !== null ? await historyFor(hub, `${slug}|channel|${channel}`, userId) : [],
      room: room ? roomView(room) : null,
      roomHistory: room ? await historyFor(hub, roomChatKey(room.id), userId) : [],
      seatLost: room ? null : takeLostSeat(hub, slug, userId),
    },
  });
  socket.emit("rooms:snapshot", (await hub.store.listRooms(slug)).map(roomSummary));
  hub.ctx.bus.emit("server.welcomed", { socket, server: slug });
  hub.onPopulationChange();
  await hub.publishLocation(slug, userId);
}

async function onDisconnect(hub: LobbyHub, socket: IoSocket): Promise<void> {
  const slug = slugOf(socket);
  const { userId } = socket.data;
  hub.onPopulationChange();
  const stillHere = (await hub.nsp(slug).in(`user:${userId}`).fetchSockets()).length > 0;
  if (stillHere) return;
  const room = await hub.store.roomOf(userId);
  const seated = room?.server === slug;
  if (seated) {
    const marked = await hub.store.setReconnecting(userId, true);
    if (marked) hub.announceRoom(marked);
  }
  const release = async () => {
    hub.graceTimers.delete(graceKey(slug, userId));
    if ((await hub.nsp(slug).in(`user:${userId}`).fetchSockets()).length > 0) return;
    const current = await hub.store.roomOf(userId);
    if (current?.server === slug)
      await freeSeatAfterGrace(hub, { id: userId, name: socket.data.username }, current);
    const previous = await hub.store.leaveChannel(slug, userId);
    if (previous !== null) await hub.announceChannels(slug, previous);
    hub.ctx.bus.emit("location.changed", { userId, location: null });
  };
  const channel = await hub.store.channelOf(slug, userId);
  if (!seated && channel === null) {
    hub.ctx.bus.emit("location.changed", { userId, location: null });
    return;
  }
  const timer = setTimeout(
    () => void release().catch((err) => hub.ctx.log.error({ err }, "seat release")),
    hub.ctx.config.seatGraceMs,
  );
  hub.graceTimers.set(graceKey(slug, userId), timer);
}
