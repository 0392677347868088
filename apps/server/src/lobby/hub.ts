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
/** Sockets written to per event-loop turn by a room-list event to a whole server (see `toServer`). */
const BROADCAST_CHUNK = 250;
type RoomListEvent = "room:created" | "rooms:updated" | "room:removed";
type RoomListPayload<E extends RoomListEvent> = Parameters<ServerToClientEvents[E]>[0];

/**
 * What the lobby's handlers share: the catalog, the state store, and the broadcasts that follow a
 * state change. Handlers call the store, then one of these to tell the right sockets.
 */
export class LobbyHub {
  readonly passwordAttempts: PasswordAttempts;
  readonly lists: Coalescer;
  /** Per server, the rooms whose list entry changed since the last `rooms:updated`. */
  private readonly changedEntries = new Map<string, Set<string>>();
  /** Per server, sends what is left of the last room-list event still going out in chunks. */
  private readonly unsent = new Map<string, () => void>();

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
      if (rooms.length) this.toServer(slug, "rooms:updated", { rooms: rooms.map(roomSummary) });
    });
  }

  /**
   * The room list's events to every player on the server (`room:created`, `rooms:updated`,
   * `room:removed`), in the order they were sent. One broadcast to a thousand sockets was about
   * 60 ms of socket writes in one turn: on one node each goes out a chunk of sockets per turn,
   * and a new one first sends what is left of the last, so no socket sees a room's update after
   * its removal. With Redis the adapter carries each to every node in one broadcast.
   */
  toServer<E extends RoomListEvent>(slug: string, event: E, payload: RoomListPayload<E>): void {
    const nsp = this.nsp(slug);
    // One event name of three: the typed emit cannot follow E, the signature above keeps it right.
    const emit = (to: typeof nsp | ReturnType<typeof nsp.to>) =>
      (to as { emit(event: string, payload: unknown): boolean }).emit(event, payload);
    if (this.ctx.cluster.mode === "redis") {
      emit(nsp);
      return;
    }
    this.unsent.get(slug)?.();
    const ids = [...nsp.sockets.keys()];
    let next = 0;
    const sendChunk = () => {
      emit(nsp.to(ids.slice(next, next + BROADCAST_CHUNK)));
      next += BROADCAST_CHUNK;
    };
    const finish = () => {
      this.unsent.delete(slug);
      while (next < ids.length) sendChunk();
    };
    const step = () => {
      if (this.unsent.get(slug) !== finish) return; // finished by a later event
      sendChunk();
      if (next < ids.length) setImmediate(step);
      else this.unsent.delete(slug);
    };
    // Never `to([])`: no rooms at all means the whole namespace.
    if (ids.length === 0) return;
    this.unsent.set(slug, finish);
    step();
  }

  announceLeave(server: string, roomId: string, result: LeaveResult): void {
    const nsp = this.nsp(server);
    if (result.removed || !result.room) {
      this.toServer(server, "room:removed", { id: roomId });
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
