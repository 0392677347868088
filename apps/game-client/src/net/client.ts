import type { Ack, FriendView, LoginReply, Me, NoticeView } from "@rally/protocol";
import { io, type Socket } from "socket.io-client";
import { Bus } from "./bus.js";
import type { NetEvents } from "./events.js";
import { GameServerConnection } from "./game-server.js";
import { api, describe, RequestError } from "./http.js";
import { listenForSanctions, refusalText } from "./sanctions.js";
import { listenForSocial } from "./social.js";
import { type ClientState, initialState, type SceneName, type Toast } from "./state.js";

const TOKEN_KEY = "rally-token";
const DISMISSED_KEY = "rally-dismissed-notices";
const RETRY_MS = 2_000;

/**
 * All networking of the client: HTTP, the social socket on `/` and the game-server socket.
 * Scenes call its methods and subscribe to `bus`; they never touch a socket.
 */
export class Net {
  readonly bus = new Bus<NetEvents>();
  readonly state: ClientState = initialState();
  /** Kept in the tab's storage: a reload or a server restart keeps the player signed in. */
  token: string | null = sessionStorage.getItem(TOKEN_KEY);
  social: Socket | null = null;
  readonly game = new GameServerConnection(this);
  private toastId = 0;
  /** Whether the player was told this account has too many connections (told once until online). */
  private toldTooMany = false;
  private readonly dismissed = new Set<string>(JSON.parse(localStorage.getItem(DISMISSED_KEY) ?? "[]"));

  set<K extends keyof ClientState>(key: K, value: ClientState[K]): void {
    this.state[key] = value;
    this.bus.emit("changed", key);
  }

  go(scene: SceneName): void {
    if (this.state.scene !== scene) this.set("scene", scene);
  }

  toast(text: string, kind: Toast["kind"] = "info"): void {
    const toast = { id: ++this.toastId, text, kind };
    this.set("toasts", [...this.state.toasts, toast].slice(-4));
    setTimeout(
      () =>
        this.set(
          "toasts",
          this.state.toasts.filter((t) => t.id !== toast.id),
        ),
      kind === "bad" ? 8_000 : 5_000,
    );
  }

  /** Sends a request on a socket and resolves with its data, or rejects with words a player can read. */
  async ask<T>(socket: Socket | null, event: string, payload?: unknown, place = ""): Promise<T> {
    if (!socket?.connected) throw new Error("Not connected right now — wait for the reconnection.");
    let reply: Ack<T>;
    try {
      reply = await socket.timeout(10_000).emitWithAck(event, payload ?? {});
    } catch {
      throw new Error("The server did not answer. Try again.");
    }
    if (!reply.ok)
      throw Object.assign(new Error(describe(reply.error, undefined, place)), { code: reply.error.code });
    return reply.data;
  }

  // --- accounts -------------------------------------------------------------------------------
  async register(username: string, password: string): Promise<void> {
    this.signedIn(await api<LoginReply>("POST", "/api/auth/register", { username, password }));
  }

  async login(username: string, password: string): Promise<void> {
    this.signedIn(await api<LoginReply>("POST", "/api/auth/login", { username, password }));
  }

  /**
   * Picks up a session kept from before a reload. While the server cannot be reached (it is
   * restarting) the splash stays up and this keeps trying; only a refused token signs out.
   */
  async resume(): Promise<boolean> {
    while (this.token) {
      try {
        const me = await api<Me>("GET", "/api/me", undefined, this.token);
        this.signedIn({ token: this.token, user: me, expiresAt: "" });
        return true;
      } catch (error) {
        if (error instanceof RequestError && error.code === "network") {
          this.set("connection", "reconnecting");
          await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
          continue;
        }
        this.forgetToken();
      }
    }
    this.set("connection", "offline");
    return false;
  }

  /** After the server cut a socket on purpose: is our session still good (null: cannot tell yet)? */
  async sessionValid(): Promise<boolean | null> {
    if (!this.token) return false;
    try {
      await api<Me>("GET", "/api/me", undefined, this.token);
      return true;
    } catch (error) {
      return error instanceof RequestError && error.code === "network" ? null : false;
    }
  }

  /**
   * A handshake refused because the account already has the most connections allowed (other tabs
   * or windows): say so once; the retry connects by itself when one of them closes.
   */
  tellTooManyConnections(error: Error): void {
    if (error.message !== "too_many_connections" || this.toldTooMany) return;
    this.toldTooMany = true;
    this.toast(refusalText(error), "bad");
  }

  /** Reconnects a socket the server cut, once the session is known to be good; signs out if not. */
  async reconnectAfterServerCut(socket: Socket): Promise<void> {
    this.set("connection", "reconnecting");
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS / 2));
      if (socket !== this.social && socket !== this.game.socket) return;
      const valid = await this.sessionValid();
      if (valid === false) return this.signOutLocally("Your session ended. Please sign in again.");
      if (valid) return void socket.connect();
    }
  }

  async logout(): Promise<void> {
    const token = this.token;
    this.signOutLocally();
    await api("POST", "/api/auth/logout", undefined, token).catch(() => {});
  }

  private forgetToken(): void {
    sessionStorage.removeItem(TOKEN_KEY);
    this.token = null;
  }

  /** Closes our sockets first, so the server's revocation is not mistaken for a lost connection. */
  signOutLocally(reason?: string): void {
    this.forgetToken();
    this.game.leave();
    this.social?.close();
    this.social = null;
    const fresh = initialState();
    for (const key of Object.keys(fresh) as (keyof typeof fresh)[])
      if (key !== "scene") this.set(key, fresh[key] as never);
    this.go("login");
    if (reason) this.toast(reason, "bad");
  }

  private signedIn(reply: LoginReply): void {
    this.token = reply.token;
    sessionStorage.setItem(TOKEN_KEY, reply.token);
    this.set("me", reply.user);
    this.connectSocial();
    const lastServer = sessionStorage.getItem("rally-server");
    if (lastServer) this.game.enter(lastServer);
    else this.go("servers");
  }

  // --- social namespace -----------------------------------------------------------------------
  private connectSocial(): void {
    this.social?.close();
    const socket = io("/", { auth: (cb) => cb({ token: this.token }) });
    this.social = socket;
    socket.on("connect", () => {
      this.toldTooMany = false;
      if (!this.game.socket || this.game.socket.connected) this.set("connection", "online");
      // The seed's client-initiated broadcast: ask the server to tell our friends we are here.
      void this.ask(socket, "presence:announce").catch(() => {});
      void this.refreshFriends().catch(() => {});
      void this.ask<ClientState["servers"]>(socket, "servers:list").then(
        (s) => this.set("servers", s),
        () => {},
      );
    });
    socket.on("disconnect", (reason) => {
      if (reason === "io client disconnect") return;
      // Cut by the server: signed out elsewhere, or an older server restarting. Ask which.
      if (reason === "io server disconnect") void this.reconnectAfterServerCut(socket);
      else this.set("connection", "reconnecting");
    });
    socket.on("connect_error", (error) => {
      if (error.message === "unauthorized")
        return this.signOutLocally("Your session ended. Please sign in again.");
      // A ban: the server says until when and why.
      if (error.message === "banned") return this.signOutLocally(refusalText(error));
      this.tellTooManyConnections(error);
      // Refused by a middleware (not a transport failure): Socket.IO will not retry by itself.
      if (!socket.active) void this.reconnectAfterServerCut(socket);
    });
    listenForSocial(this, socket);
    listenForSanctions(this, socket);
    this.listenForNotices(socket);
  }

  listenForNotices(socket: Socket): void {
    const keep = (n: NoticeView) => !this.dismissed.has(n.id);
    socket.on("notices:snapshot", (notices: NoticeView[]) => {
      const ids = new Set(notices.map((n) => n.id));
      this.set("notices", [...this.state.notices.filter((n) => !ids.has(n.id)), ...notices.filter(keep)]);
    });
    socket.on("notice:posted", (notice: NoticeView) => {
      if (this.state.notices.some((n) => n.id === notice.id) || !keep(notice)) return;
      this.set("notices", [...this.state.notices, notice]);
    });
    socket.on("notice:removed", ({ id }: { id: string }) => {
      this.set(
        "notices",
        this.state.notices.filter((n) => n.id !== id),
      );
    });
  }

  /** Dismissed notices stay dismissed across reloads and reconnects (remembered in this browser). */
  dismissNotice(id: string): void {
    this.dismissed.add(id);
    localStorage.setItem(DISMISSED_KEY, JSON.stringify([...this.dismissed].slice(-200)));
    this.set(
      "notices",
      this.state.notices.filter((n) => n.id !== id),
    );
  }

  setMuted(muted: boolean): void {
    localStorage.setItem("rally-muted", muted ? "1" : "0");
    this.set("muted", muted);
  }

  upsertFriend(friend: FriendView): void {
    if (!this.state.friends.some((f) => f.id === friend.id))
      return void this.refreshFriends().catch(() => {});
    this.set(
      "friends",
      this.state.friends.map((f) => (f.id === friend.id ? friend : f)),
    );
  }

  async refreshFriends(): Promise<void> {
    const lists = await this.ask<Pick<ClientState, "friends" | "incoming" | "outgoing" | "blocked">>(
      this.social,
      "friends:list",
    );
    this.set("friends", lists.friends);
    this.set("incoming", lists.incoming);
    this.set("outgoing", lists.outgoing);
    this.set("blocked", lists.blocked);
  }

  async friendAction(event: string, payload: object): Promise<void> {
    await this.ask(this.social, event, payload);
    await this.refreshFriends();
  }

  /** Stops a player's chat lines and invites reaching us; their lines already shown go too. */
  async ignore(userId: string): Promise<void> {
    await this.ask(this.social, "ignore:add", { userId });
    for (const key of ["channelChat", "roomChat"] as const) {
      this.set(
        key,
        this.state[key].filter((line) => line.from.id !== userId),
      );
    }
  }

  async setAppearOffline(appearOffline: boolean): Promise<void> {
    await this.ask(this.social, "presence:appear_offline", { appearOffline });
    if (this.state.me) this.set("me", { ...this.state.me, appearOffline });
  }

  /** A game server's display name ("Europe 1") for its slug, when the list is known. */
  serverName(slug: string): string {
    return this.state.servers.find((s) => s.slug === slug)?.name ?? slug;
  }
}
