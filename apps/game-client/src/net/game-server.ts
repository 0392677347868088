import type { ChatMessage, GameServerEvents, RoomView } from "@rally/protocol";
import { io, type Socket } from "socket.io-client";
import type { Net } from "./client.js";
import { describe } from "./http.js";
import { listenForRooms } from "./room-events.js";

const SERVER_KEY = "rally-server";
const ROOM_KEY = "rally-room";
const CHANNEL_KEY = "rally-channel";
/** The 3-2-1 before a game: long enough to read, short enough not to bore. */
export const COUNTDOWN_MS = 3_000;

type Welcome = Parameters<GameServerEvents["server:welcome"]>[0];

/** The connection to one game server (`/servers/<slug>`): channels, rooms, invites, moves. */
export class GameServerConnection {
  socket: Socket | null = null;
  private slug: string | null = null;
  /** The reason of the last `server:closing`: a cut that follows it is final, not a restart. */
  private closing: string | null = null;
  /** Latest avatar positions heard, by user id (the game scene draws them). */
  readonly positions = new Map<string, { x: number; y: number }>();
  pendingAnswer: ((accept: boolean) => void) | null = null;

  constructor(readonly net: Net) {}

  enter(slug: string): void {
    this.leave();
    this.slug = slug;
    this.closing = null;
    sessionStorage.setItem(SERVER_KEY, slug);
    const net = this.net;
    const socket = io(`/servers/${slug}`, { auth: (cb) => cb({ token: net.token }) });
    this.socket = socket;

    socket.on("connect_error", (error) => {
      // A slug the server does not know is refused by Socket.IO itself ("Invalid namespace").
      if (error.message === "unknown_server" || error.message === "Invalid namespace") {
        net.toast("That server is closed or does not exist.", "bad");
        this.leave();
        net.go("servers");
      } else if (error.message === "unauthorized") {
        net.signOutLocally("Your session ended. Please sign in again.");
      } else {
        net.tellTooManyConnections(error);
        if (!socket.active) void net.reconnectAfterServerCut(socket);
      }
    });
    socket.on("disconnect", (reason) => {
      if (reason === "io client disconnect") return;
      if (reason === "io server disconnect" && this.closing !== null) {
        net.toast(`The server closed: ${this.closing}`, "bad");
        this.leave();
        net.go("servers");
      } else if (reason === "io server disconnect") {
        void net.reconnectAfterServerCut(socket);
      } else net.set("connection", "reconnecting");
    });
    socket.on("server:welcome", (welcome) => this.welcome(welcome));
    socket.on("server:closing", ({ reason }) => {
      this.closing = reason;
      net.toast(`Server closing: ${reason}`, "bad");
    });
    listenForRooms(this, socket);
    net.listenForNotices(socket);
  }

  /** What the server kept for us, compared with what we had: tell the player what was lost. */
  private welcome({ server, channels, restored }: Welcome): void {
    const net = this.net;
    const hadRoom = net.state.room ?? JSON.parse(sessionStorage.getItem(ROOM_KEY) ?? "null");
    const hadChannel = net.state.channel ?? Number(sessionStorage.getItem(CHANNEL_KEY) ?? 0);
    net.set("server", server);
    net.set("channels", channels);
    net.set("channel", restored.channel);
    net.set("channelChat", restored.history);
    this.setRoom(restored.room);
    if (restored.room) net.set("roomChat", restored.roomHistory);
    else if (restored.seatLost)
      net.toast(`You were away too long and lost your seat in “${restored.seatLost.title}”.`, "bad");
    else if (hadRoom) net.toast(`Your room “${hadRoom.title}” could not be kept while you were away.`, "bad");
    if (restored.channel === null) void this.joinChannel(hadChannel || 1).catch(() => {});
    if (restored.room) net.go(restored.room.state === "in_game" ? "game" : "room");
    else net.go("lobby");
    if (net.social?.connected !== false) net.set("connection", "online");
  }

  answerInvite(accept: boolean): void {
    this.pendingAnswer?.(accept);
    this.pendingAnswer = null;
  }

  leave(): void {
    this.socket?.close();
    this.socket = null;
    this.slug = null;
    for (const key of [SERVER_KEY, ROOM_KEY, CHANNEL_KEY]) sessionStorage.removeItem(key);
    const net = this.net;
    net.set("server", null);
    this.setRoom(null);
    net.set("rooms", []);
    net.set("channel", null);
    net.set(
      "notices",
      net.state.notices.filter((n) => n.scope.kind === "all"),
    );
  }

  setRoom(room: RoomView | null): void {
    const net = this.net;
    if (!room) {
      net.set("roomChat", []);
      net.set("roster", null);
      net.set("gameStartsAt", null);
      this.positions.clear();
      sessionStorage.removeItem(ROOM_KEY);
    } else sessionStorage.setItem(ROOM_KEY, JSON.stringify({ id: room.id, title: room.title }));
    net.set("room", room);
    if (room?.state === "in_game") net.set("roster", room.members);
  }

  addChat(key: "channelChat" | "roomChat", message: ChatMessage): void {
    const net = this.net;
    if (net.state[key].some((m) => m.id === message.id)) return;
    net.set(key, [...net.state[key], message].slice(-50));
    const me = net.state.me;
    if (me && message.from.id !== me.id && new RegExp(`\\b@?${me.name}\\b`, "i").test(message.text))
      net.bus.emit("cue", "mention");
  }

  private ask<T>(event: string, payload?: unknown, place = ""): Promise<T> {
    return this.net.ask<T>(this.socket, event, payload, place);
  }

  async joinChannel(channel: number): Promise<void> {
    const joined = await this.ask<{ channel: number; members: never[]; history: ChatMessage[] }>(
      "channel:join",
      { channel },
    );
    sessionStorage.setItem(CHANNEL_KEY, String(joined.channel));
    this.net.set("channel", joined.channel);
    this.net.set("channelMembers", joined.members);
    this.net.set("channelChat", joined.history);
  }

  async sayInChannel(text: string): Promise<void> {
    this.addChat("channelChat", await this.ask<ChatMessage>("channel:chat", { text }, "chat"));
  }

  /** Reports a chat line seen on this server; the server copies it and the lines around it. */
  async reportLine(messageId: string, reason: string): Promise<void> {
    await this.ask("report:create", { kind: "message", messageId, reason });
  }

  async sayInRoom(text: string): Promise<void> {
    this.addChat("roomChat", await this.ask<ChatMessage>("room:chat", { text }, "chat"));
  }

  async createRoom(settings: object): Promise<void> {
    this.setRoom(await this.ask<RoomView>("room:create", settings));
    this.net.go("room");
  }

  async joinRoom(roomId: string, password?: string): Promise<void> {
    const room = await this.ask<RoomView & { history: ChatMessage[] }>("room:join", { roomId, password });
    this.setRoom(room);
    this.net.set("roomChat", room.history);
    this.net.go("room");
  }

  async leaveRoom(): Promise<void> {
    await this.ask("room:leave");
    this.setRoom(null);
    this.net.go("lobby");
  }

  room(
    event: "room:ready" | "room:start" | "room:end" | "room:kick" | "room:update" | "room:invite",
    payload?: object,
  ) {
    return this.ask(event, payload);
  }

  /** One-way and volatile: a lost position is replaced by the next one. */
  move(x: number, y: number): void {
    const me = this.net.state.me;
    if (me) this.positions.set(me.id, { x, y });
    this.socket?.volatile.emit("game:move", { x, y });
  }

  inviteFailed(code: string): string {
    return `Could not join: ${describe({ code: code as never, message: "" }, "the room is full or in a game")}`;
  }

  /** Test builds only: cut the transport as a network drop would. */
  dropTransport(): void {
    this.socket?.io.engine.close();
  }

  get current(): string | null {
    return this.slug;
  }
}
