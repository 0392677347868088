import { GameModes, type RoomSummary } from "@rally/protocol";
import { attempt, clear, h } from "../ui/dom.js";
import { chatBox } from "../ui/chat.js";
import { BaseScene } from "./base.js";

export class LobbyScene extends BaseScene {
  constructor() {
    super("lobby");
  }

  create(): void {
    const game = this.net.game;
    this.backdrop(
      this.net.state.server?.name ?? "Lobby",
      "Chat in a channel, or create and join waiting rooms",
    );
    const toast = (text: string) => this.net.toast(text);

    const channels = h("div", { class: "list" });
    this.panel(
      32,
      130,
      190,
      540,
      h(
        "div",
        { class: "panel", style: "display:flex;flex-direction:column" },
        h("h2", {}, "Channels"),
        channels,
        h("div", { class: "grow" }),
        h(
          "button",
          {
            class: "btn ghost small",
            on: {
              click: () => {
                game.leave();
                this.net.go("servers");
              },
            },
          },
          "← Servers",
        ),
      ),
    );
    this.watch(["channels", "channel"], () =>
      clear(
        channels,
        ...this.net.state.channels.map((c) =>
          h(
            "div",
            {
              class: `item clickable ${c.channel === this.net.state.channel ? "active" : ""}`,
              "data-channel": String(c.channel),
              on: { click: () => void attempt(() => game.joinChannel(c.channel), undefined, toast) },
            },
            h("span", { class: "grow" }, `Channel ${c.channel}`),
            h("span", { class: "muted" }, `${c.population}/${c.capacity}`),
          ),
        ),
      ),
    );

    const chat = chatBox("channel-chat", (text) => game.sayInChannel(text), toast, this.lineActions());
    this.panel(234, 130, 360, 540, h("div", { class: "panel" }, chat.element));
    this.watch(["channelChat", "channel"], () =>
      chat.render(
        this.net.state.channelChat,
        this.net.state.channel === null ? "Pick a channel to chat" : "No messages yet — say hi!",
      ),
    );

    const rooms = h("div", { class: "list", style: "max-height:440px" });
    this.panel(
      606,
      130,
      340,
      540,
      h(
        "div",
        { class: "panel" },
        h(
          "div",
          { class: "row" },
          h("h2", { class: "grow" }, "Waiting rooms"),
          h(
            "button",
            { class: "btn small", name: "create-room", on: { click: () => this.createDialog() } },
            "Create",
          ),
        ),
        rooms,
      ),
    );
    this.watch(["rooms"], () => {
      const list = this.net.state.rooms;
      if (list.length === 0) return clear(rooms, h("div", { class: "empty" }, "No rooms yet — create one"));
      clear(rooms, ...list.map((room) => this.roomItem(room)));
    });
  }

  private roomItem(room: RoomSummary): HTMLElement {
    const inGame = room.state === "in_game";
    return h(
      "div",
      {
        class: `item ${inGame ? "" : "clickable"}`,
        "data-room": room.title,
        on: { click: () => !inGame && this.join(room) },
      },
      h(
        "div",
        { class: "grow" },
        h(
          "div",
          {},

          h("strong", {}, room.title),
        ),
        h("div", { class: "muted" }, `${room.mode.replaceAll("_", " ")} · host ${room.host.name}`),
      ),
      room.visibility === "private" ? h("span", { class: "badge lock", title: "Password" }, "locked") : null,
      room.visibility === "invite_only" ? h("span", { class: "badge" }, "invite") : null,
      inGame ? h("span", { class: "badge live" }, "in game") : null,
      h("span", { class: "badge" }, `${room.players}/${room.maxPlayers}`),
    );
  }

  private join(room: RoomSummary): void {
    if (room.visibility !== "private")
      return void attempt(
        () => this.net.game.joinRoom(room.id),
        undefined,
        (t) => this.net.toast(t),
      );
    const password = h("input", {
      type: "password",
      name: "room-password",
      style: "width:100%",
    }) as HTMLInputElement;
    this.dialog(`Join “${room.title}”`, [h("label", {}, "Room password"), password], "Join", () =>
      this.net.game.joinRoom(room.id, password.value),
    );
    password.focus();
  }

  private createDialog(): void {
    const title = h("input", {
      name: "title",
      maxLength: 40,
      value: `${this.net.state.me?.name ?? "My"}'s room`,
      style: "width:100%",
    }) as HTMLInputElement;
    const max = h("input", {
      name: "maxPlayers",
      type: "number",
      min: 2,
      max: 16,
      value: 4,
      style: "width:100%",
    }) as HTMLInputElement;
    const mode = h(
      "select",
      { name: "mode", style: "width:100%" },
      ...GameModes.map((m) => h("option", { value: m }, m.replaceAll("_", " "))),
    ) as HTMLSelectElement;
    const visibility = h(
      "select",
      { name: "visibility", style: "width:100%" },
      h("option", { value: "public" }, "Public"),
      h("option", { value: "private" }, "Private (password)"),
      h("option", { value: "invite_only" }, "Invite only"),
    ) as HTMLSelectElement;
    const password = h("input", {
      name: "password",
      type: "password",
      style: "width:100%",
    }) as HTMLInputElement;
    this.dialog(
      "Create a room",
      [
        h("label", {}, "Title"),
        title,
        h("label", {}, "Max players"),
        max,
        h("label", {}, "Mode"),
        mode,
        h("label", {}, "Visibility"),
        visibility,
        h("label", {}, "Password (private rooms)"),
        password,
      ],
      "Create",
      () =>
        this.net.game.createRoom({
          title: title.value,
          maxPlayers: Number(max.value),
          mode: mode.value,
          visibility: visibility.value,
          ...(password.value ? { password: password.value } : {}),
        }),
    );
    title.select();
  }
}
