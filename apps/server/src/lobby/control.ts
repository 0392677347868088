import type { ChatMessage, LiveStats } from "@rally/protocol";
import type { GameServerControl, ReportedLine } from "../context.js";
import { channelChatKey } from "./channel-handlers.js";
import type { LobbyHub } from "./hub.js";
import { roomChatKey } from "./room-handlers.js";

/** The line with `around` lines either side, or null when the history no longer has it. */
function lineIn(
  history: ChatMessage[],
  messageId: string,
  around: number,
  where: string,
): ReportedLine | null {
  const index = history.findIndex((line) => line.id === messageId);
  if (index < 0) return null;
  return {
    message: history[index]!,
    where,
    context: history.slice(Math.max(0, index - around), index + around + 1),
  };
}

/** What other features (notices, admin) may do to game servers. */
export function gameServerControl(hub: LobbyHub): GameServerControl {
  return {
    async setMaintenance(slug, until) {
      await hub.catalog.update(slug, { maintenanceUntil: until });
      hub.onPopulationChange();
    },
    async close(slug, reason) {
      await hub.catalog.update(slug, { status: "closed", maintenanceUntil: null });
      hub.ctx.bus.emit("server.closed", { server: slug });
      const nsp = hub.nsp(slug);
      const players = await hub.ctx.cluster.registry.users(nsp.name);
      nsp.emit("server:closing", { reason });
      for (const roomId of await hub.store.clearServer(slug)) {
        hub.toServer(slug, "room:removed", { id: roomId });
        hub.forgetRoom(roomId);
      }
      // Seat-grace timers still armed for this server find no seat when they fire: nothing to cancel.
      // Give the closing notice a moment to leave before the connections are cut.
      await new Promise((resolve) => setTimeout(resolve, 50));
      // Without `true`: only this namespace's sockets. `true` would close each player's whole
      // connection, and with it `/` (presence, friends, the server list) on a shared Manager.
      nsp.disconnectSockets();
      hub.namespaces.closedNow(slug);
      for (const userId of players) hub.ctx.bus.emit("location.changed", { userId, location: null });
      hub.onPopulationChange();
    },
    async reopen(slug) {
      await hub.catalog.update(slug, { status: "open", maintenanceUntil: null });
      hub.namespaces.opened(slug);
      hub.ctx.bus.emit("server.reopened", { server: slug });
      hub.onPopulationChange();
    },
    namespace(slug) {
      return hub.nsp(slug);
    },
    async exists(slug) {
      return (await hub.catalog.get(slug)) !== null;
    },
    async channelCount(slug) {
      return (await hub.catalog.get(slug))?.channelCount ?? null;
    },
    async findChatLine(slug, userId, messageId, around) {
      const channel = await hub.store.channelOf(slug, userId);
      if (channel !== null) {
        const history = await hub.store.chatHistory(channelChatKey(slug, channel));
        const found = lineIn(history, messageId, around, `${slug} channel ${channel}`);
        if (found) return found;
      }
      const room = await hub.store.roomOf(userId);
      if (room?.server !== slug) return null;
      const history = await hub.store.chatHistory(roomChatKey(room.id));
      return lineIn(history, messageId, around, `${slug} room "${room.title}"`);
    },
    async stats(): Promise<LiveStats> {
      const servers = await hub.catalog.list();
      return {
        at: new Date().toISOString(),
        servers: await Promise.all(
          servers.map(async (server) => ({
            slug: server.slug,
            status: (await hub.summary(server)).status,
            population: await hub.population(server.slug),
            channels: (await hub.channels(server)).map(({ channel, population }) => ({
              channel,
              population,
            })),
            rooms: (await hub.store.listRooms(server.slug)).length,
          })),
        ),
      };
    },
  };
}
