import { GameModes, Limits, type RoomSummary } from "@rally/protocol";
import { chatBox } from "../ui/chat.js";
import { lineActions } from "../ui/line-actions.js";
import { dialog } from "../ui/dialog.js";
import { attempt, clear, h, modeName } from "../ui/dom.js";
import { BaseScene } from "./base.js";

const SORT_KEY = "rally-rooms-friends-first";

export class LobbyScene extends BaseScene {
  constructor() {
    super("lobby");
  }

  create(): void {
    const game = this.net.game;
    const back = h(
      "button",
      {
        class: "btn ghost",
        name: "servers",
        type: "button",
        on: {
          click: () => {
            game.leave();
            this.net.go("servers");
          },
        },
      },
      "‹ Servers",
    );
    const title = h("h1", {});
    const channels = h("div", { class: "list channels" });
    const members = h("div", { class: "list members" });
    const chat = chatBox(
      "channel-chat",
      (text) => game.sayInChannel(text),
      this.toast,
      () => this.net.state.me?.name,
      lineActions(this.net),
    );
    const rooms = h("div", { class: "list rooms" });
    const sort = h("input", { type: "checkbox", name: "friends-first" }) as HTMLInputElement;
    sort.checked = localStorage.getItem(SORT_KEY) !== "0";
    sort.addEventListener("change", () => {
      localStorage.setItem(SORT_KEY, sort.checked ? "1" : "0");
      renderRooms();
    });
    this.mount(
      "lobby",
      this.heading(title, "Chat in a channel, or create and join waiting rooms", back),
      h(
        "div",
        { class: "lobby-grid" },
        h(
          "section",
          { class: "panel col-channels" },
          h("h2", {}, "Channels"),
          channels,
          h("h2", { class: "members-title" }, "In this channel"),
          members,
        ),
        h("section", { class: "panel col-chat" }, chat.element),
        h(
          "section",
          { class: "panel col-rooms" },
          h(
            "div",
            { class: "row" },
            h("h2", { class: "grow" }, "Waiting rooms"),
            h(
              "button",
              {
                class: "btn small",
                name: "create-room",
                type: "button",
                on: { click: () => this.createDialog() },
              },
              "Create",
            ),
          ),
          h("label", { class: "check" }, sort, "Rooms with friends first"),
          rooms,
        ),
      ),
    );
    this.watch(["server"], () => (title.textContent = this.net.state.server?.name ?? "Lobby"));
    this.watch(["channels", "channel"], () =>
      clear(
        channels,
        ...this.net.state.channels.map((c) =>
          h(
            "button",
            {
              class: `item clickable ${c.channel === this.net.state.channel ? "active" : ""}`,
              type: "button",
              "data-channel": String(c.channel),
              on: { click: () => void attempt(() => game.joinChannel(c.channel), undefined, this.toast) },
            },
            h("span", { class: "grow" }, `Channel ${c.channel}`),
            h("span", { class: "muted" }, `${c.population}/${c.capacity}`),
          ),
        ),
      ),
    );
    this.watch(["channelMembers", "friends", "channel"], () => {
      const friendIds = new Set(this.net.state.friends.map((f) => f.id));
      const list = this.net.state.channelMembers;
      if (list.length === 0) return clear(members, h("div", { class: "empty" }, "Nobody here yet"));
      clear(
        members,
        ...list.map((m) =>
          h(
            "div",
            { class: "member", "data-channel-member": m.name },
            h("span", { class: "dot online" }),
            h("span", { class: "grow" }, m.name),
            m.id === this.net.state.me?.id
              ? h("span", { class: "tag" }, "you")
              : friendIds.has(m.id)
                ? h("span", { class: "tag friend" }, "friend")
                : null,
          ),
        ),
      );
    });
    this.watch(["channelChat", "channel"], () =>
      chat.render(
        this.net.state.channelChat,
        this.net.state.channel === null ? "Pick a channel to chat" : "No messages yet — say hi!",
      ),
    );
    const renderRooms = () => {
      const friendsIn = this.friendsByRoom();
      const list = [...this.net.state.rooms];
      if (sort.checked)
        list.sort((a, b) => (friendsIn.get(b.id)?.length ?? 0) - (friendsIn.get(a.id)?.length ?? 0));
      if (list.length === 0) return clear(rooms, h("div", { class: "empty" }, "No rooms yet — create one"));
      clear(rooms, ...list.map((room) => this.roomItem(room, friendsIn.get(room.id) ?? [])));
    };
    this.watch(["rooms", "friends"], renderRooms);
  }

  /** Which friends sit in which room: their presence location names the room. */
  private friendsByRoom(): Map<string, string[]> {
    const map = new Map<string, string[]>();
    for (const f of this.net.state.friends) {
      const roomId = f.status === "online" ? f.location?.roomId : null;
      if (roomId) map.set(roomId, [...(map.get(roomId) ?? []), f.name]);
    }
    return map;
  }

  private roomItem(room: RoomSummary, friends: string[]): HTMLElement {
    const inGame = room.state === "in_game";
    const full = room.players >= room.maxPlayers;
    return h(
      "button",
      {
        class: `item room ${inGame || full ? "disabled" : "clickable"}`,
        type: "button",
        "data-room": room.title,
        title: inGame ? "In a game — wait for it to end" : full ? "Full" : "Join",
        on: { click: () => !inGame && !full && this.join(room) },
      },
      h(
        "div",
        { class: "grow" },
        h("strong", { class: "room-title" }, room.title),
        h("div", { class: "muted" }, `${modeName(room.mode)} · host ${room.host.name}`),
        friends.length
          ? h(
              "div",
              { class: "friends-in", "data-friends-in": friends.join(",") },
              `Friends here: ${friends.join(", ")}`,
            )
          : null,
      ),
      room.visibility === "private" ? h("span", { class: "badge lock", title: "Password" }, "locked") : null,
      room.visibility === "invite_only" ? h("span", { class: "badge" }, "invite only") : null,
      inGame ? h("span", { class: "badge live" }, "in game") : null,
      h("span", { class: `badge ${full ? "closed" : ""}` }, `${room.players}/${room.maxPlayers}`),
    );
  }

  private join(room: RoomSummary): void {
    if (room.visibility !== "private")
      return void attempt(() => this.net.game.joinRoom(room.id), undefined, this.toast);
    const password = h("input", {
      type: "password",
      name: "room-password",
      style: "width:100%",
    }) as HTMLInputElement;
    dialog(`Join “${room.title}”`, [h("label", {}, "Room password"), password], "Join", () =>
      this.net.game.joinRoom(room.id, password.value),
    );
  }

  private createDialog(): void {
    const field = (name: string, props: Record<string, unknown> = {}) =>
      h("input", { name, style: "width:100%", ...props }) as HTMLInputElement;
    const title = field("title", {
      maxLength: Limits.roomTitleMax,
      value: `${this.net.state.me?.name ?? "My"}'s room`,
    });
    const max = field("maxPlayers", {
      type: "number",
      min: Limits.roomPlayersMin,
      max: Limits.roomPlayersMax,
      value: 4,
    });
    const mode = h(
      "select",
      { name: "mode", style: "width:100%" },
      ...GameModes.map((m) => h("option", { value: m }, modeName(m))),
    ) as HTMLSelectElement;
    const visibility = h(
      "select",
      { name: "visibility", style: "width:100%" },
      h("option", { value: "public" }, "Public"),
      h("option", { value: "private" }, "Private (password)"),
      h("option", { value: "invite_only" }, "Invite only"),
    ) as HTMLSelectElement;
    const password = field("password", { type: "password" });
    const passwordRow = h("div", {}, h("label", {}, "Password"), password);
    const showPassword = () => (passwordRow.style.display = visibility.value === "private" ? "" : "none");
    visibility.addEventListener("change", showPassword);
    showPassword();
    dialog(
      "Create a room",
      [
        h("label", {}, "Title"),
        title,
        h(
          "div",
          { class: "two" },
          h("div", {}, h("label", {}, "Max players"), max),
          h("div", {}, h("label", {}, "Mode"), mode),
        ),
        h("label", {}, "Visibility"),
        visibility,
        passwordRow,
      ],
      "Create",
      () =>
        this.net.game.createRoom({
          title: title.value,
          maxPlayers: Number(max.value),
          mode: mode.value,
          visibility: visibility.value,
          ...(password.value && visibility.value === "private" ? { password: password.value } : {}),
        }),
    );
    title.select();
  }
}
