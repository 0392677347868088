import {
  type ChannelView,
  type GameServerSummary,
  type Location,
  Namespaces,
  type ServerToClientEvents,
  type UserRef,
} from "@rally/protocol";
import type { AppContext } from "../context.js";
import type { IoNamespace } from "../types.js";
import { channelRoom, waitingRoom } from "../types.js";
import { PasswordAttempts } from "./password-attempts.js";
import type { GameServerCatalog, GameServerRecord } from "./catalog.js";
import { Coalescer } from "../util/coalesce.js";
import type { GameServerNamespaces } from "./namespaces.js";
import { type LeaveResult, type LobbyStore, type Room, roomChatKey, roomSummary, roomView } from "./store.js";

/** Channel lists, member lists and room-list entries go out at most once a second each. */
export const LIST_UPDATE_INTERVAL_MS = 1_000;
/** Sockets written to per event-loop turn by a whole-server list update (see `toEveryone`). */
const BROADCAST_CHUNK = 250;

/**
 * What the lobby's handlers share: the catalog, the state store, and the broadcasts that follow a
 * state change. Handlers call the store, then one of these to tell the right sockets.
 */
export class LobbyHub {
  readonly passwordAttempts: PasswordAttempts;
  readonly lists: Coalescer;
  /** Per server, the rooms whose list entry changed since the last `rooms:updated`. */
  private readonly changedEntries = new Map<string, Set<string>>();

  constructor(
    readonly ctx: AppContext,
    readonly catalog: GameServerCatalog,
    readonly namespaces: GameServerNamespaces,
    readonly store: LobbyStore,
    readonly onPopulationChange: () => void,
  ) {
    this.passwordAttempts = new PasswordAttempts(ctx.config.socketLimits.roomPasswordTries);
    this.lists = new Coalescer(LIST_UPDATE_INTERVAL_MS, (err) => ctx.log.error({ err }, "list update"));
  }

  nsp(slug: string): IoNamespace {
    return this.namespaces.get(slug);
  }

  /** Distinct players with at least one connection to the server, on any node. */
  async population(slug: string): Promise<number> {
    return this.ctx.cluster.registry.userCount(Namespaces.gameServer(slug));
  }

  maintenance(server: GameServerRecord): boolean {
    return server.maintenanceUntil !== null && server.status === "open";
  }

  async summary(server: GameServerRecord): Promise<GameServerSummary> {
    return {
      slug: server.slug,
      name: server.name,
      region: server.region,
      channelCount: server.channelCount,
      channelCapacity: server.channelCapacity,
      maxPopulation: server.maxPopulation,
      status: server.status === "closed" ? "closed" : this.maintenance(server) ? "maintenance" : "open",
      population: server.status === "closed" ? 0 : await this.population(server.slug),
    };
  }

  async summaries(): Promise<GameServerSummary[]> {
    return Promise.all((await this.catalog.list()).map((s) => this.summary(s)));
  }

  async channels(server: GameServerRecord): Promise<ChannelView[]> {
    const counts = await this.store.channelPopulations(server.slug);
    return Array.from({ length: server.channelCount }, (_, i) => ({
      channel: i + 1,
      population: counts.get(i + 1) ?? 0,
      capacity: server.channelCapacity,
    }));
  }

  /** The server's channel populations, and the member lists of the channels that changed. */
  async announceChannels(slug: string, ...changed: (number | null)[]): Promise<void> {
    this.lists.run(`channels|${slug}`, async () => {
      const server = await this.catalog.get(slug);
      if (server) this.nsp(slug).emit("channels:updated", await this.channels(server));
    });
    for (const channel of new Set(changed)) {
      if (channel === null) continue;
      this.lists.run(`members|${slug}|${channel}`, async () => {
        const members = await this.store.channelMembers(slug, channel);
        this.nsp(slug).to(channelRoom(channel)).emit("channel:members_changed", { channel, members });
      });
    }
  }

  /** Members get the full room at once; everyone browsing the server gets the list entry. */
  announceRoom(room: Room): void {
    this.nsp(room.server).to(waitingRoom(room.id)).emit("room:changed", roomView(room));
    this.listEntryChanged(room.server, room.id);
  }

  /**
   * One `rooms:updated` a second per server carries every entry that changed: busy rooms cost
   * each browsing player one message a second, not one per room.
   */
  private listEntryChanged(slug: string, roomId: string): void {
    const changed = this.changedEntries.get(slug) ?? new Set<string>();
    this.changedEntries.set(slug, changed.add(roomId));
    this.lists.run(`rooms|${slug}`, async () => {
      const ids = [...(this.changedEntries.get(slug) ?? [])];
      this.changedEntries.delete(slug);
      // Read now: the update carries the latest state, and a removed room none.
      const rooms = (await Promise.all(ids.map((id) => this.store.getRoom(id)))).filter(
        (room): room is Room => room !== null && room.server === slug,
      );
      if (rooms.length) this.toEveryone(slug, { rooms: rooms.map(roomSummary) });
    });
  }

  /**
   * `rooms:updated` to every player on the server. One broadcast to a thousand sockets was about
   * 60 ms of socket writes in one turn, once a second on a busy server: on one node it goes out a
   * chunk of sockets per turn instead. With Redis the adapter must carry it to every node in one
   * broadcast.
   */
  private toEveryone(slug: string, update: Parameters<ServerToClientEvents["rooms:updated"]>[0]): void {
    const nsp = this.nsp(slug);
    if (this.ctx.cluster.mode === "redis") {
      nsp.emit("rooms:updated", update);
      return;
    }
    const ids = [...nsp.sockets.keys()];
    // Never `to([])`: no rooms at all means the whole namespace.
    if (ids.length === 0) return;
    const send = (from: number) => {
      nsp.to(ids.slice(from, from + BROADCAST_CHUNK)).emit("rooms:updated", update);
      if (from + BROADCAST_CHUNK < ids.length) setImmediate(() => send(from + BROADCAST_CHUNK));
    };
    send(0);
  }

  announceLeave(server: string, roomId: string, result: LeaveResult): void {
    const nsp = this.nsp(server);
    if (result.removed || !result.room) {
      nsp.emit("room:removed", { id: roomId });
      this.forgetRoom(roomId);
      return;
    }
    if (result.newHost)
      nsp.to(waitingRoom(roomId)).emit("room:host_changed", { roomId, host: result.newHost });
    this.announceRoom(result.room);
  }

  /** A removed room's chat history goes with it. */
  forgetRoom(roomId: string): void {
    this.store
      .deleteChat(roomChatKey(roomId))
      .catch((err) => this.ctx.log.error({ err }, "room chat delete"));
  }

  /** Moves every socket of the user on this server in or out of Socket.IO rooms. */
  moveSockets(server: string, userId: string, leave: string[], join: string[]): void {
    const sockets = this.nsp(server).in(`user:${userId}`);
    if (leave.length) sockets.socketsLeave(leave);
    if (join.length) sockets.socketsJoin(join);
  }

  async location(server: string, userId: string): Promise<Location> {
    const room = await this.store.roomOf(userId);
    const inThisServer = room?.server === server ? room : null;
    return {
      server,
      channel: await this.store.channelOf(server, userId),
      roomId: inThisServer?.id ?? null,
      inGame: inThisServer?.state === "in_game",
    };
  }

  async publishLocation(server: string, user: UserRef | string): Promise<void> {
    const userId = typeof user === "string" ? user : user.id;
    this.ctx.bus.emit("location.changed", { userId, location: await this.location(server, userId) });
  }
}
