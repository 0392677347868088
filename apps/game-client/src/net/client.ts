import type { Ack, FriendView, LoginReply, Me, NoticeView } from "@rally/protocol";
import { io, type Socket } from "socket.io-client";
import { Bus } from "./bus.js";
import type { NetEvents } from "./events.js";
import { GameServerConnection } from "./game-server.js";
import { api, describe } from "./http.js";
import { type ClientState, initialState, type SceneName } from "./state.js";

const TOKEN_KEY = "rally-token";

/**
 * All networking of the client: HTTP, the social socket on `/` and the game-server socket.
 * Scenes call its methods and subscribe to `bus`; they never touch a socket.
 */
export class Net {
  readonly bus = new Bus<NetEvents>();
  readonly state: ClientState = initialState();
  token: string | null = sessionStorage.getItem(TOKEN_KEY);
  social: Socket | null = null;
  readonly game = new GameServerConnection(this);
  private toastId = 0;

  set<K extends keyof ClientState>(key: K, value: ClientState[K]): void {
    this.state[key] = value;
    this.bus.emit("changed", key);
  }

  go(scene: SceneName): void {
    this.set("scene", scene);
  }

  toast(text: string): void {
    const toast = { id: ++this.toastId, text };
    this.set("toasts", [...this.state.toasts, toast].slice(-4));
    this.bus.emit("toast", { text });
    setTimeout(
      () =>
        this.set(
          "toasts",
          this.state.toasts.filter((t) => t.id !== toast.id),
        ),
      6_000,
    );
  }

  /** Sends a request on a socket and resolves with its data, or rejects with words a player can read. */
  async ask<T>(socket: Socket | null, event: string, payload?: unknown): Promise<T> {
    if (!socket) throw new Error("Not connected");
    let reply: Ack<T>;
    try {
      reply = await socket.timeout(10_000).emitWithAck(event, payload ?? {});
    } catch {
      throw new Error("The server did not answer. Try again.");
    }
    if (!reply.ok) throw Object.assign(new Error(describe(reply.error)), { code: reply.error.code });
    return reply.data;
  }

  // --- accounts -------------------------------------------------------------------------------
  async register(username: string, password: string): Promise<void> {
    this.signedIn(await api<LoginReply>("POST", "/api/auth/register", { username, password }));
  }

  async login(username: string, password: string): Promise<void> {
    this.signedIn(await api<LoginReply>("POST", "/api/auth/login", { username, password }));
  }

  /** Picks up a session kept from before a reload. */
  async resume(): Promise<boolean> {
    if (!this.token) return false;
    try {
      const me = await api<Me>("GET", "/api/me", undefined, this.token);
      this.signedIn({ token: this.token, user: me, expiresAt: "" });
      return true;
    } catch {
      sessionStorage.removeItem(TOKEN_KEY);
      this.token = null;
      return false;
    }
  }

  async logout(): Promise<void> {
    const token = this.token;
    this.signOutLocally();
    await api("POST", "/api/auth/logout", undefined, token).catch(() => {});
  }

  /** Closes our sockets first, so the server's revocation is not mistaken for a lost connection. */
  private signOutLocally(): void {
    sessionStorage.removeItem(TOKEN_KEY);
    this.token = null;
    this.game.leave();
    this.social?.close();
    this.social = null;
    const fresh = initialState();
    for (const key of Object.keys(fresh) as (keyof typeof fresh)[]) this.set(key, fresh[key] as never);
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
    const socket = io("/", { auth: { token: this.token } });
    this.social = socket;
    socket.on("connect", () => {
      this.set("connection", "online");
      // The seed's client-initiated broadcast: ask the server to tell our friends we are here.
      void this.ask(socket, "presence:announce").catch(() => {});
      void this.refreshFriends();
      void this.ask<ClientState["servers"]>(socket, "servers:list").then(
        (s) => this.set("servers", s),
        () => {},
      );
    });
    // Why the server is about to cut us off (a ban): shown once we are back at sign-in.
    let farewell: string | null = null;
    socket.on("disconnect", (reason) => {
      // The server cuts `/` only when the session ended (signed out elsewhere, banned): back to sign-in.
      if (reason === "io server disconnect") {
        this.signOutLocally();
        if (farewell) this.set("signedOutBecause", farewell);
      } else if (reason !== "io client disconnect") this.set("connection", "reconnecting");
    });
    socket.on("connect_error", (error) => {
      const refusal = (error as Error & { data?: { message?: string } }).data?.message;
      if (error.message === "unauthorized" || error.message === "banned") this.signOutLocally();
      if (error.message === "banned" && refusal) this.set("signedOutBecause", refusal);
    });
    socket.on("account:banned", ({ reason, expiresAt }) => {
      farewell = `You are banned ${expiresAt ? `until ${new Date(expiresAt).toLocaleString()}` : "for good"}: ${reason}`;
    });
    socket.on("account:muted", ({ reason, expiresAt }) =>
      this.toast(`You are muted until ${new Date(expiresAt).toLocaleTimeString()}: ${reason}`),
    );
    socket.on("account:unmuted", () => this.toast("You can chat again"));
    socket.on("servers:updated", (servers) => this.set("servers", servers));
    socket.on("friend:online", ({ user, location }) => {
      this.toast(`${user.name} is online`);
      this.upsertFriend({ ...user, status: "online", location });
    });
    socket.on("friend:offline", ({ user }) =>
      this.upsertFriend({ ...user, status: "offline", location: null }),
    );
    socket.on("friend:moved", ({ user, location }) =>
      this.upsertFriend({ ...user, status: "online", location }),
    );
    socket.on("friend:requested", (request) => {
      this.toast(`${request.user.name} wants to be your friend`);
      this.set("incoming", [...this.state.incoming.filter((r) => r.user.id !== request.user.id), request]);
    });
    socket.on("friend:accepted", (friend) => {
      this.toast(`${friend.name} accepted your friend request`);
      void this.refreshFriends();
    });
    for (const event of ["friend:removed", "friend:request_cancelled", "friend:request_declined"] as const) {
      socket.on(event, () => void this.refreshFriends());
    }
    this.listenForNotices(socket);
  }

  listenForNotices(socket: Socket): void {
    socket.on("notices:snapshot", (notices: NoticeView[]) => {
      const ids = new Set(notices.map((n) => n.id));
      this.set("notices", [...this.state.notices.filter((n) => !ids.has(n.id)), ...notices]);
    });
    socket.on("notice:posted", (notice: NoticeView) => {
      if (this.state.notices.some((n) => n.id === notice.id)) return;
      this.set("notices", [...this.state.notices, notice]);
    });
    socket.on("notice:removed", ({ id }: { id: string }) => {
      this.set(
        "notices",
        this.state.notices.filter((n) => n.id !== id),
      );
    });
  }

  dismissNotice(id: string): void {
    this.set(
      "notices",
      this.state.notices.filter((n) => n.id !== id),
    );
  }

  private upsertFriend(friend: FriendView): void {
    if (!this.state.friends.some((f) => f.id === friend.id)) return void this.refreshFriends();
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
}
