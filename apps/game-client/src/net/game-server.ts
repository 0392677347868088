import type { ChatMessage, RoomSummary, RoomView } from "@rally/protocol";
import { io, type Socket } from "socket.io-client";
import type { Net } from "./client.js";

const SERVER_KEY = "rally-server";

/** The connection to one game server (`/servers/<slug>`): channels, rooms, invites. */
export class GameServerConnection {
  socket: Socket | null = null;
  private slug: string | null = null;

  constructor(private readonly net: Net) {}

  enter(slug: string): void {
    this.leave();
    this.slug = slug;
    sessionStorage.setItem(SERVER_KEY, slug);
    const net = this.net;
    const socket = io(`/servers/${slug}`, { auth: { token: net.token } });
    this.socket = socket;

    socket.on("connect_error", (error) => {
      // A slug the server does not know is refused by Socket.IO itself ("Invalid namespace").
      if (error.message === "unknown_server" || error.message === "Invalid namespace") {
        net.toast("That server is closed or does not exist.");
        this.leave();
        net.go("servers");
      }
    });
    socket.on("disconnect", (reason) => {
      if (reason === "io server disconnect") {
        this.leave();
        net.go("servers");
      } else if (reason !== "io client disconnect") {
        net.set("connection", "reconnecting");
      }
    });
    socket.on("server:welcome", ({ server, channels, restored }) => {
      net.set("connection", "online");
      net.set("server", server);
      net.set("channels", channels);
      net.set("channel", restored.channel);
      net.set("channelChat", restored.history);
      this.setRoom(restored.room);
      if (restored.room) net.go(restored.room.state === "in_game" ? "game" : "room");
      else if (restored.channel === null) {
        net.go("lobby");
        void this.joinChannel(1).catch(() => {});
      } else net.go("lobby");
    });
    socket.on("server:closing", ({ reason }) => net.toast(`Server closing: ${reason}`));
    socket.on("channels:updated", (channels) => net.set("channels", channels));
    socket.on("channel:members_changed", ({ channel, members }) => {
      if (channel === net.state.channel) net.set("channelMembers", members);
    });
    socket.on("channel:message_posted", (message) => this.addChat("channelChat", message));
    socket.on("rooms:snapshot", (rooms: RoomSummary[]) => net.set("rooms", rooms));
    socket.on("room:created", (room: RoomSummary) =>
      net.set("rooms", [...net.state.rooms.filter((r) => r.id !== room.id), room]),
    );
    socket.on("room:updated", (room: RoomSummary) =>
      net.set(
        "rooms",
        net.state.rooms.map((r) => (r.id === room.id ? room : r)),
      ),
    );
    socket.on("room:removed", ({ id }) =>
      net.set(
        "rooms",
        net.state.rooms.filter((r) => r.id !== id),
      ),
    );
    socket.on("room:changed", (room: RoomView) => {
      const joined = !net.state.room;
      this.setRoom(room);
      if (joined && net.state.scene !== "game") net.go("room");
    });
    socket.on("room:kicked", () => {
      net.toast("You were kicked from the room");
      this.setRoom(null);
      net.go("lobby");
    });
    socket.on("room:message_posted", (message) => this.addChat("roomChat", message));
    socket.on("game:started", ({ roster }) => {
      net.set("roster", roster);
      net.go("game");
    });
    socket.on("game:ended", () => {
      net.set("roster", null);
      net.go("room");
    });
    socket.on("invite:received", (invite, answer: (reply: { accept: boolean }) => void) => {
      net.set("invite", {
        inviteId: invite.inviteId,
        room: invite.room,
        from: invite.from,
        expiresAt: Date.now() + invite.expiresInMs,
      });
      this.pendingAnswer = (accept: boolean) => {
        answer({ accept });
        net.set("invite", null);
      };
    });
    socket.on("invite:answered", ({ user, outcome }) => net.toast(`${user.name}: invite ${outcome}`));
    socket.on("invite:failed", () => net.toast("Could not join: the room is full or in a game"));
    net.listenForNotices(socket);
  }

  private pendingAnswer: ((accept: boolean) => void) | null = null;

  answerInvite(accept: boolean): void {
    this.pendingAnswer?.(accept);
    this.pendingAnswer = null;
  }

  leave(): void {
    this.socket?.close();
    this.socket = null;
    this.slug = null;
    sessionStorage.removeItem(SERVER_KEY);
    const net = this.net;
    net.set("server", null);
    net.set("room", null);
    net.set("rooms", []);
    net.set("channel", null);
    net.set(
      "notices",
      net.state.notices.filter((n) => n.scope.kind === "all"),
    );
  }

  private setRoom(room: RoomView | null): void {
    if (!room) this.net.set("roomChat", []);
    this.net.set("room", room);
    if (room?.state === "in_game" && !this.net.state.roster) this.net.set("roster", room.members);
  }

  private addChat(key: "channelChat" | "roomChat", message: ChatMessage): void {
    if (this.net.state[key].some((m) => m.id === message.id)) return;
    this.net.set(key, [...this.net.state[key], message].slice(-50));
  }

  private ask<T>(event: string, payload?: unknown): Promise<T> {
    return this.net.ask<T>(this.socket, event, payload);
  }

  async joinChannel(channel: number): Promise<void> {
    const joined = await this.ask<{ channel: number; members: never[]; history: ChatMessage[] }>(
      "channel:join",
      { channel },
    );
    this.net.set("channel", joined.channel);
    this.net.set("channelMembers", joined.members);
    this.net.set("channelChat", joined.history);
  }

  async sayInChannel(text: string): Promise<void> {
    this.addChat("channelChat", await this.ask<ChatMessage>("channel:chat", { text }));
  }

  async sayInRoom(text: string): Promise<void> {
    this.addChat("roomChat", await this.ask<ChatMessage>("room:chat", { text }));
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

  /** Test builds only: cut the transport as a network drop would. */
  dropTransport(): void {
    this.socket?.io.engine.close();
  }

  get current(): string | null {
    return this.slug;
  }
}
