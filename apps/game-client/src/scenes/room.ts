import type Phaser from "phaser";
import type { RoomMember } from "@rally/protocol";
import { attempt, clear, h } from "../ui/dom.js";
import { chatBox } from "../ui/chat.js";
import { BaseScene } from "./base.js";

export class RoomScene extends BaseScene {
  private seats!: Phaser.GameObjects.Container;

  constructor() {
    super("room");
  }

  create(): void {
    const game = this.net.game;
    const toast = (text: string) => this.net.toast(text);
    this.backdrop(
      this.net.state.room?.title ?? "Waiting room",
      "Ready up — the host starts when everyone is ready",
    );
    this.seats = this.add.container(0, 0);

    const controls = h("div", { class: "row", style: "flex-wrap:wrap" });
    const members = h("div", { class: "list" });
    const invite = h("select", { name: "invite-friend", class: "grow" }) as HTMLSelectElement;
    this.panel(
      32,
      400,
      560,
      270,
      h(
        "div",
        { class: "panel", style: "display:flex;flex-direction:column;gap:10px" },
        controls,
        members,
        h(
          "div",
          { class: "row" },
          invite,
          h(
            "button",
            {
              class: "btn cool small",
              name: "invite",
              on: {
                click: () => {
                  if (invite.value)
                    void attempt(
                      () =>
                        game.room("room:invite", { userId: invite.value }).then(() => toast("Invite sent")),
                      undefined,
                      toast,
                    );
                },
              },
            },
            "Invite friend",
          ),
        ),
      ),
    );

    const chat = chatBox("room-chat", (text) => game.sayInRoom(text), toast, this.lineActions());
    this.panel(604, 130, 342, 540, h("div", { class: "panel" }, chat.element));
    this.watch(["roomChat"], () => chat.render(this.net.state.roomChat, "No messages yet"));

    this.watch(["room", "friends"], () => {
      const room = this.net.state.room;
      if (!room) return;
      const me = this.net.state.me;
      const mine = room.members.find((m) => m.id === me?.id);
      const host = room.host.id === me?.id;
      this.drawSeats(room.members, room.maxPlayers);
      clear(
        controls,
        h(
          "button",
          {
            class: "btn",
            name: "ready",
            on: {
              click: () =>
                void attempt(() => game.room("room:ready", { ready: !mine?.ready }), undefined, toast),
            },
          },
          mine?.ready ? "Not ready" : "Ready",
        ),
        host &&
          h(
            "button",
            {
              class: "btn cool",
              name: "start",
              on: { click: () => void attempt(() => game.room("room:start"), undefined, toast) },
            },
            "Start game",
          ),
        host &&
          h(
            "button",
            { class: "btn ghost", name: "settings", on: { click: () => this.settings() } },
            "Settings",
          ),
        h("div", { class: "grow" }),
        h(
          "button",
          {
            class: "btn ghost",
            name: "leave",
            on: { click: () => void attempt(() => game.leaveRoom(), undefined, toast) },
          },
          "Leave",
        ),
      );
      clear(
        members,
        ...room.members.map((m) =>
          h(
            "div",
            { class: "item", "data-member": m.name },
            h("span", { class: "grow" }, `${m.host ? "♛ " : ""}${m.name}`),
            m.reconnecting ? h("span", { class: "badge maintenance" }, "reconnecting") : null,
            m.ready ? h("span", { class: "badge open" }, "ready") : null,
            host && !m.host
              ? h(
                  "button",
                  {
                    class: "btn danger small",
                    on: {
                      click: () =>
                        void attempt(() => game.room("room:kick", { userId: m.id }), undefined, toast),
                    },
                  },
                  "Kick",
                )
              : null,
          ),
        ),
      );
      const online = this.net.state.friends.filter(
        (f) => f.status === "online" && !room.members.some((m) => m.id === f.id),
      );
      clear(
        invite,
        h("option", { value: "" }, online.length ? "Choose a friend…" : "No friends online"),
        ...online.map((f) => h("option", { value: f.id }, f.name)),
      );
    });
  }

  private drawSeats(members: RoomMember[], max: number): void {
    this.seats.removeAll(true);
    const perRow = 8;
    for (let i = 0; i < max; i++) {
      const x = 80 + (i % perRow) * 66;
      const y = 170 + Math.floor(i / perRow) * 110;
      const member = members[i];
      const color = !member ? 0x1c2542 : member.reconnecting ? 0x8a6d1f : member.ready ? 0x2f9e5f : 0x3b5bb5;
      const seat = this.add.circle(x, y, 26, color).setStrokeStyle(3, member?.host ? 0xffb640 : 0x2e3a63);
      this.seats.add(seat);
      if (member?.reconnecting)
        this.tweens.add({ targets: seat, alpha: 0.4, duration: 500, yoyo: true, repeat: -1 });
      const label = member ? member.name.slice(0, 9) : "empty";
      this.seats.add(
        this.add
          .text(x, y + 38, label, { fontSize: "12px", color: member ? "#eef2ff" : "#56607e" })
          .setOrigin(0.5),
      );
      if (member?.host)
        this.seats.add(this.add.text(x, y - 44, "♛", { fontSize: "18px", color: "#ffb640" }).setOrigin(0.5));
      if (member?.ready)
        this.seats.add(this.add.text(x, y, "✓", { fontSize: "22px", color: "#ffffff" }).setOrigin(0.5));
    }
  }

  private settings(): void {
    const room = this.net.state.room;
    if (!room) return;
    const title = h("input", {
      name: "title",
      value: room.title,
      maxLength: 40,
      style: "width:100%",
    }) as HTMLInputElement;
    const max = h("input", {
      name: "maxPlayers",
      type: "number",
      min: 2,
      max: 16,
      value: room.maxPlayers,
      style: "width:100%",
    }) as HTMLInputElement;
    const visibility = h(
      "select",
      { name: "visibility", style: "width:100%" },
      h("option", { value: "public" }, "Public"),
      h("option", { value: "private" }, "Private"),
      h("option", { value: "invite_only" }, "Invite only"),
    ) as HTMLSelectElement;
    visibility.value = room.visibility;
    const password = h("input", {
      name: "password",
      type: "password",
      placeholder: "unchanged",
      style: "width:100%",
    }) as HTMLInputElement;
    this.dialog(
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
