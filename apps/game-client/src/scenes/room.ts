import { Limits, type RoomMember, type RoomView } from "@rally/protocol";
import { chatBox } from "../ui/chat.js";
import { lineActions } from "../ui/line-actions.js";
import { dialog } from "../ui/dialog.js";
import { actionButton, clear, h, modeName } from "../ui/dom.js";
import { BaseScene } from "./base.js";

const VISIBILITY: Record<string, string> = {
  public: "Public",
  private: "Private · password",
  invite_only: "Invite only",
};

/** "bob", "bob and carol", "bob, carol and dan". */
function names(list: string[]): string {
  return list.length <= 1 ? (list[0] ?? "") : `${list.slice(0, -1).join(", ")} and ${list[list.length - 1]}`;
}

/** What Start waits for, in words; null when the game can start. */
export function startBlocker(room: RoomView): string | null {
  if (room.members.length < Limits.roomPlayersMin)
    return "Waiting for at least one more player — invite a friend";
  const notReady = room.members.filter((m) => !m.host && !m.ready).map((m) => m.name);
  if (notReady.length) return `Waiting for ${names(notReady)} to ready up`;
  return null;
}

export class RoomScene extends BaseScene {
  private lastSeats = new Map<number, string>();

  constructor() {
    super("room");
  }

  create(): void {
    const game = this.net.game;
    this.lastSeats.clear();
    const title = h("h1", { "data-room-title": "1" });
    const badges = h("div", { class: "row badges" });
    const seats = h("div", { class: "seats" });
    const status = h("div", { class: "start-status", "data-start-status": "1", role: "status" });
    const controls = h("div", { class: "row controls" });
    const members = h("div", { class: "list" });
    const invite = h("select", { name: "invite-friend", class: "grow" }) as HTMLSelectElement;
    const inviteButton = actionButton(
      "Invite",
      { class: "btn cool small", name: "invite" },
      async () => {
        if (!invite.value) throw new Error("Choose a friend to invite first.");
        await game.room("room:invite", { userId: invite.value });
        this.net.toast(`Invite sent to ${invite.selectedOptions[0]?.textContent}`, "good");
      },
      this.toast,
    );
    const chat = chatBox(
      "room-chat",
      (text) => game.sayInRoom(text),
      this.toast,
      () => this.net.state.me?.name,
      lineActions(this.net),
    );
    const leave = actionButton(
      "Leave room",
      { class: "btn ghost", name: "leave" },
      () => game.leaveRoom(),
      this.toast,
    );
    this.mount(
      "room",
      h("header", { class: "screen-head" }, h("div", { class: "grow" }, title, badges), leave),
      h(
        "div",
        { class: "room-grid" },
        h(
          "section",
          { class: "panel col-room" },
          seats,
          status,
          controls,
          h("h2", {}, "Players"),
          members,
          h("div", { class: "row invite-row" }, invite, inviteButton),
        ),
        h("section", { class: "panel col-chat" }, chat.element),
      ),
    );
    this.watch(["roomChat"], () => chat.render(this.net.state.roomChat, "No messages yet"));
    this.watch(["room", "friends"], () => {
      const room = this.net.state.room;
      if (!room) return;
      const me = this.net.state.me;
      const host = room.host.id === me?.id;
      title.textContent = room.title;
      clear(
        badges,
        h("span", { class: "badge mode", "data-mode": room.mode }, modeName(room.mode)),
        h(
          "span",
          {
            class: `badge ${room.visibility === "private" ? "lock" : ""}`,
            "data-visibility": room.visibility,
          },
          VISIBILITY[room.visibility],
        ),
        h("span", { class: "badge" }, `${room.players}/${room.maxPlayers} players`),
        h("span", { class: "badge" }, `Host: ${room.host.name}`),
      );
      this.drawSeats(seats, room.members, room.maxPlayers);
      this.renderControls(room, controls, status, host);
      this.renderMembers(room, members, host);
      const online = this.net.state.friends.filter((f) => f.status === "online");
      const invitable = online.filter((f) => !room.members.some((m) => m.id === f.id));
      const hint = invitable.length
        ? "Choose a friend…"
        : online.length
          ? "All your online friends are here"
          : "No friends online";
      clear(
        invite,
        h("option", { value: "" }, hint),
        ...invitable.map((f) => h("option", { value: f.id }, f.name)),
      );
    });
  }

  private renderControls(room: RoomView, controls: HTMLElement, status: HTMLElement, host: boolean): void {
    const game = this.net.game;
    const mine = room.members.find((m) => m.id === this.net.state.me?.id);
    const blocker = startBlocker(room);
    if (host) {
      status.textContent = blocker ?? "Everyone is ready — start when you like!";
      status.classList.toggle("ok", blocker === null);
      const start = actionButton(
        "Start game",
        { class: "btn cool big", name: "start" },
        () => game.room("room:start"),
        this.toast,
      );
      start.disabled = blocker !== null;
      start.title = blocker ?? "Start the game";
      const settings = h(
        "button",
        { class: "btn ghost", name: "settings", type: "button", on: { click: () => this.settings() } },
        "Settings",
      );
      clear(controls, start, settings);
      return;
    }
    status.textContent = mine?.ready
      ? (blocker ?? `Waiting for ${room.host.name} to start the game`)
      : `Press Ready so ${room.host.name} can start`;
    status.classList.toggle("ok", !!mine?.ready);
    const ready = actionButton(
      mine?.ready ? "Not ready" : "Ready",
      { class: `btn big ${mine?.ready ? "ghost" : ""}`, name: "ready" },
      () => game.room("room:ready", { ready: !mine?.ready }),
      this.toast,
    );
    clear(controls, ready);
  }

  private renderMembers(room: RoomView, members: HTMLElement, host: boolean): void {
    clear(
      members,
      ...room.members.map((m) =>
        h(
          "div",
          { class: "item", "data-member": m.name },
          h("span", { class: `dot ${m.reconnecting ? "away" : "online"}` }),
          h(
            "span",
            { class: "grow" },
            m.name,
            m.id === this.net.state.me?.id ? h("span", { class: "tag" }, "you") : null,
          ),
          m.host ? h("span", { class: "badge host" }, "host") : null,
          m.reconnecting ? h("span", { class: "badge maintenance" }, "reconnecting") : null,
          !m.host
            ? h("span", { class: `badge ${m.ready ? "open" : ""}` }, m.ready ? "ready" : "not ready")
            : null,
          host && !m.host
            ? actionButton(
                "Kick",
                { class: "btn ghost danger-text small", name: "kick" },
                () => this.net.game.room("room:kick", { userId: m.id }),
                this.toast,
              )
            : null,
        ),
      ),
    );
  }

  /** One seat per place; a seat that just filled plays its fill animation. */
  private drawSeats(box: HTMLElement, members: RoomMember[], max: number): void {
    clear(
      box,
      ...Array.from({ length: max }, (_, i) => {
        const m = members[i];
        const filledNow = m && this.lastSeats.get(i) !== m.id;
        const state = !m ? "empty" : m.reconnecting ? "away" : m.host ? "host" : m.ready ? "ready" : "taken";
        return h(
          "div",
          { class: `seat ${state} ${filledNow ? "fill" : ""}`, "data-seat": String(i) },
          h("div", { class: "disc" }, m ? m.name.charAt(0).toUpperCase() : ""),
          h("div", { class: "seat-name" }, m ? m.name : "open"),
        );
      }),
    );
    this.lastSeats = new Map(members.map((m, i) => [i, m.id]));
  }

  private settings(): void {
    const room = this.net.state.room;
    if (!room) return;
    const title = h("input", {
      name: "title",
      value: room.title,
      maxLength: Limits.roomTitleMax,
      style: "width:100%",
    }) as HTMLInputElement;
    const max = h("input", {
      name: "maxPlayers",
      type: "number",
      min: Limits.roomPlayersMin,
      max: Limits.roomPlayersMax,
      value: room.maxPlayers,
      style: "width:100%",
    }) as HTMLInputElement;
    const visibility = h(
      "select",
      { name: "visibility", style: "width:100%" },
      ...Object.entries(VISIBILITY).map(([value, label]) => h("option", { value }, label)),
    ) as HTMLSelectElement;
    visibility.value = room.visibility;
    const password = h("input", {
      name: "password",
      type: "password",
      placeholder: "unchanged",
      style: "width:100%",
    }) as HTMLInputElement;
    dialog(
      "Room settings",
      [
        h("label", {}, "Title"),
        title,
        h("label", {}, "Max players"),
        max,
        h("label", {}, "Visibility"),
        visibility,
        h("label", {}, "Password"),
        password,
      ],
      "Save",
      async () => {
        await this.net.game.room("room:update", {
          title: title.value,
          maxPlayers: Number(max.value),
          visibility: visibility.value,
          ...(password.value ? { password: password.value } : {}),
        });
      },
    );
  }
}
