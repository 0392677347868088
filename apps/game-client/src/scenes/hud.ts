import Phaser from "phaser";
import type { FriendView, Location } from "@rally/protocol";
import type { Net } from "../net/client.js";
import { attempt, clear, h } from "../ui/dom.js";
import { CONTENT_WIDTH, HEIGHT, WIDTH } from "./base.js";

function where(location: Location | null): string {
  if (!location?.server) return "In the menus";
  const parts = [location.server];
  if (location.channel) parts.push(`channel ${location.channel}`);
  if (location.roomId) parts.push(location.inGame ? "in a game" : "in a waiting room");
  return parts.join(" · ");
}

/** Always on top, on every screen: friends, toasts, notices, invites and the reconnect overlay. */
export class HudScene extends Phaser.Scene {
  private net!: Net;

  constructor() {
    super({ key: "hud", active: false });
  }

  create(): void {
    this.net = this.registry.get("net") as Net;
    const net = this.net;
    const toast = (text: string) => net.toast(text);
    const on = (keys: string[], render: () => void) => {
      net.bus.on("changed", (key) => keys.includes(key) && render());
      render();
    };

    // Friends panel
    const friends = h("div", { class: "list grow" });
    const requests = h("div", { class: "list" });
    const addName = h("input", {
      name: "friend-name",
      class: "grow",
      placeholder: "Add by username",
      maxLength: 20,
    }) as HTMLInputElement;
    const addError = h("div", { class: "error" });
    const add = () =>
      void attempt(async () => {
        await net.friendAction("friends:request", { username: addName.value.trim() });
        addName.value = "";
        toast("Friend request sent");
      }, addError);
    addName.addEventListener("keydown", (e) => e.key === "Enter" && add());
    const invisible = h("input", { type: "checkbox", name: "appear-offline" }) as HTMLInputElement;
    invisible.addEventListener(
      "change",
      () => void attempt(() => net.setAppearOffline(invisible.checked), addError),
    );
    const panel = h(
      "div",
      {
        class: "panel friends",
        "data-panel": "friends",
        style: "display:flex;flex-direction:column;gap:8px",
      },
      h("h2", {}, "Friends"),
      h(
        "div",
        { class: "row" },
        addName,
        h("button", { class: "btn small", name: "add-friend", on: { click: add } }, "Add"),
      ),
      addError,
      requests,
      friends,
      h("label", { class: "row", style: "color:var(--muted)" }, invisible, "Appear offline"),
    );
    panel.style.width = `${WIDTH - CONTENT_WIDTH}px`;
    panel.style.height = `${HEIGHT}px`;
    const panelDom = this.add.dom(CONTENT_WIDTH, 0, panel).setOrigin(0);
    on(["me", "scene"], () => {
      panelDom.setVisible(net.state.me !== null && net.state.scene !== "login");
      invisible.checked = net.state.me?.appearOffline ?? false;
    });
    on(["friends", "incoming", "outgoing"], () => {
      const act = (event: string, userId: string) => () =>
        void attempt(() => net.friendAction(event, { userId }), undefined, toast);
      clear(
        requests,
        ...net.state.incoming.map((r) =>
          h(
            "div",
            { class: "item", "data-incoming": r.user.name },
            h("span", { class: "grow" }, `${r.user.name} wants to be friends`),
            h(
              "button",
              { class: "btn small", name: "accept", on: { click: act("friends:accept", r.user.id) } },
              "✓",
            ),
            h(
              "button",
              { class: "btn ghost small", name: "decline", on: { click: act("friends:decline", r.user.id) } },
              "✕",
            ),
            h(
              "button",
              { class: "btn danger small", name: "block", on: { click: act("friends:block", r.user.id) } },
              "Block",
            ),
          ),
        ),
        ...net.state.outgoing.map((r) =>
          h(
            "div",
            { class: "item", "data-outgoing": r.user.name },
            h("span", { class: "grow muted" }, `Asked ${r.user.name}`),
            h(
              "button",
              { class: "btn ghost small", on: { click: act("friends:cancel", r.user.id) } },
              "Cancel",
            ),
          ),
        ),
      );
      const list = [...net.state.friends].sort(
        (a, b) => Number(b.status === "online") - Number(a.status === "online"),
      );
      if (list.length === 0)
        return clear(friends, h("div", { class: "empty" }, "No friends yet — add one by name"));
      clear(
        friends,
        ...list.map((f: FriendView) =>
          h(
            "div",
            { class: "item", "data-friend": f.name, "data-status": f.status },
            h("span", { class: `dot ${f.status}` }),
            h(
              "div",
              { class: "grow" },
              h("div", {}, f.name),
              h("div", { class: "where" }, f.status === "online" ? where(f.location) : "Offline"),
            ),
            h(
              "button",
              { class: "btn ghost small", title: "Remove", on: { click: act("friends:remove", f.id) } },
              "✕",
            ),
            h(
              "button",
              { class: "btn danger small", title: "Block", on: { click: act("friends:block", f.id) } },
              "Block",
            ),
          ),
        ),
      );
    });

    // Toasts and notice banners
    const toasts = h("div", { class: "toasts" });
    const banners = h("div", { class: "banners", style: `right:${WIDTH - CONTENT_WIDTH + 8}px` });
    document.body.append(toasts, banners);
    on(["toasts"], () => clear(toasts, ...net.state.toasts.map((t) => h("div", { class: "toast" }, t.text))));
    on(["notices"], () =>
      clear(
        banners,
        ...net.state.notices.map((n) =>
          h(
            "div",
            { class: `banner ${n.severity}`, "data-notice": n.id },
            h("span", { class: "grow" }, n.text),
            h(
              "button",
              { class: "btn ghost small", name: "dismiss", on: { click: () => net.dismissNotice(n.id) } },
              "Dismiss",
            ),
          ),
        ),
      ),
    );

    // Invite modal with a countdown
    const inviteBox = h("div", { class: "modal-back", style: "display:none" });
    document.body.append(inviteBox);
    let countdown: number | undefined;
    on(["invite"], () => {
      window.clearInterval(countdown);
      const invite = net.state.invite;
      inviteBox.style.display = invite ? "flex" : "none";
      if (!invite) return;
      const seconds = h("span", {});
      const tick = () => {
        const left = Math.max(0, Math.ceil((invite.expiresAt - Date.now()) / 1000));
        seconds.textContent = `${left}s`;
        if (left === 0) net.set("invite", null);
      };
      tick();
      countdown = window.setInterval(tick, 250);
      clear(
        inviteBox,
        h(
          "div",
          { class: "panel modal", "data-modal": "invite" },
          h("h2", {}, "Invitation"),
          h(
            "p",
            {},
            `${invite.from.name} invites you to “${invite.room.title}” (${invite.room.players}/${invite.room.maxPlayers}).`,
          ),
          h("p", { class: "muted" }, "Expires in ", seconds),
          h(
            "div",
            { class: "row" },
            h(
              "button",
              { class: "btn grow", name: "accept-invite", on: { click: () => net.game.answerInvite(true) } },
              "Accept",
            ),
            h(
              "button",
              {
                class: "btn ghost grow",
                name: "decline-invite",
                on: { click: () => net.game.answerInvite(false) },
              },
              "Decline",
            ),
          ),
        ),
      );
    });

    // Lost connection
    const overlay = h(
      "div",
      { class: "overlay", style: "display:none" },
      h("div", { class: "spinner" }),
      h("div", {}, "Connection lost — reconnecting…"),
    );
    document.body.append(overlay);
    on(["connection"], () => {
      overlay.style.display = net.state.connection === "reconnecting" && net.state.me ? "flex" : "none";
    });
  }
}
