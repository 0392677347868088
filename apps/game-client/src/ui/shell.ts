import type { Net } from "../net/client.js";
import { modal } from "./dialog.js";
import { actionButton, clear, h } from "./dom.js";
import { friendsPanel } from "./friends.js";

const byId = (id: string) => document.getElementById(id)!;

/** Re-runs `render` when one of `keys` changes (the shell lives as long as the page). */
function on(net: Net, keys: string[], render: () => void): void {
  net.bus.on("changed", (key) => keys.includes(key) && render());
  render();
}

/**
 * Everything around the screens, in the page's layout (not the canvas): the profile bar, the
 * notice strip, the friends panel, toasts, the invite dialog and the reconnecting overlay.
 */
export function installShell(net: Net): void {
  const ui = byId("ui");
  on(net, ["me", "scene"], () => {
    const signedIn = net.state.me !== null && !["login", "boot"].includes(net.state.scene);
    ui.classList.toggle("signed-in", signedIn);
    ui.dataset.scene = net.state.scene;
  });
  profileBar(net);
  noticeStrip(net);
  byId("side").append(friendsPanel(net));
  toasts(net);
  inviteDialog(net);
  reconnectingOverlay(net);
}

function profileBar(net: Net): void {
  const name = h("span", { class: "me-name", "data-me": "1" });
  const initial = h("span", { class: "avatar" });
  const place = h("span", { class: "place" });
  const status = h(
    "select",
    { name: "status", "aria-label": "Your status" },
    h("option", { value: "online" }, "Online"),
    h("option", { value: "offline" }, "Appear offline"),
  ) as HTMLSelectElement;
  status.addEventListener("change", () => {
    status.disabled = true;
    net
      .setAppearOffline(status.value === "offline")
      .catch((error: Error) => net.toast(error.message, "bad"))
      .finally(() => {
        status.disabled = false;
        status.value = net.state.me?.appearOffline ? "offline" : "online";
      });
  });
  const mute = h("button", {
    class: "btn ghost small icon",
    name: "mute",
    type: "button",
  }) as HTMLButtonElement;
  mute.addEventListener("click", () => net.setMuted(!net.state.muted));
  const link = h("span", { class: "link-state" });
  const bar = byId("topbar");
  clear(
    bar,
    h("div", { class: "brand" }, "RALLY"),
    place,
    h("div", { class: "grow" }),
    link,
    mute,
    h("div", { class: "profile" }, initial, name, status),
    actionButton("Sign out", { class: "btn ghost small", name: "signout" }, () => net.logout()),
  );
  on(net, ["me"], () => {
    const me = net.state.me;
    name.textContent = me?.name ?? "";
    initial.textContent = me?.name.charAt(0).toUpperCase() ?? "";
    status.value = me?.appearOffline ? "offline" : "online";
    bar.classList.toggle("invisible", !!me?.appearOffline);
  });
  on(net, ["muted"], () => {
    mute.textContent = net.state.muted ? "Sound off" : "Sound on";
    mute.setAttribute("aria-pressed", String(net.state.muted));
  });
  on(net, ["server", "room", "scene"], () => {
    const parts = [
      net.state.server?.name,
      net.state.room && net.state.scene !== "lobby" ? net.state.room.title : null,
    ];
    place.textContent = parts.filter(Boolean).join("  ·  ");
  });
  on(net, ["connection"], () => {
    link.className = `link-state ${net.state.connection}`;
    link.textContent = net.state.connection === "reconnecting" ? "Reconnecting…" : "";
  });
}

function noticeStrip(net: Net): void {
  const strip = byId("notices");
  on(net, ["notices"], () =>
    clear(
      strip,
      ...net.state.notices.map((n) =>
        h(
          "div",
          { class: `banner ${n.severity}`, "data-notice": n.id, role: "status" },
          h("span", { class: "severity" }, n.severity),
          h("span", { class: "grow" }, n.text),
          h(
            "button",
            {
              class: "btn ghost small",
              name: "dismiss",
              type: "button",
              on: { click: () => net.dismissNotice(n.id) },
            },
            "Dismiss",
          ),
        ),
      ),
    ),
  );
}

function toasts(net: Net): void {
  const box = byId("toasts");
  on(net, ["toasts"], () =>
    clear(
      box,
      ...net.state.toasts.map((t) => h("div", { class: `toast ${t.kind}`, role: "status" }, t.text)),
    ),
  );
}

function inviteDialog(net: Net): void {
  let close: (() => void) | null = null;
  let countdown: number | undefined;
  on(net, ["invite"], () => {
    window.clearInterval(countdown);
    close?.();
    close = null;
    const invite = net.state.invite;
    if (!invite) return;
    const seconds = h("strong", {});
    const bar = h("div", { class: "timer-fill" });
    const total = invite.expiresAt - Date.now();
    const tick = () => {
      const leftMs = Math.max(0, invite.expiresAt - Date.now());
      seconds.textContent = `${Math.ceil(leftMs / 1000)} s`;
      bar.style.width = `${(leftMs / total) * 100}%`;
      if (leftMs === 0) net.set("invite", null);
    };
    tick();
    countdown = window.setInterval(tick, 250);
    const answer = (accept: boolean) => net.game.answerInvite(accept);
    close = modal(
      h(
        "div",
        { class: "panel modal invite", "data-modal": "invite" },
        h("h2", {}, "Invitation"),
        h(
          "p",
          { class: "dialog-text" },
          h("strong", {}, invite.from.name),
          " invites you to ",
          h("strong", {}, `“${invite.room.title}”`),
        ),
        h(
          "p",
          { class: "muted" },
          `${invite.room.players}/${invite.room.maxPlayers} players · expires in `,
          seconds,
        ),
        h("div", { class: "timer" }, bar),
        h(
          "div",
          { class: "row", style: "margin-top:14px" },
          h(
            "button",
            { class: "btn grow", name: "accept-invite", type: "button", on: { click: () => answer(true) } },
            "Accept",
          ),
          h(
            "button",
            {
              class: "btn ghost grow",
              name: "decline-invite",
              type: "button",
              on: { click: () => answer(false) },
            },
            "Decline",
          ),
        ),
      ),
      // Escape or a click outside declines, so the inviter is not left waiting.
      () => net.state.invite?.inviteId === invite.inviteId && answer(false),
    );
  });
}

function reconnectingOverlay(net: Net): void {
  const overlay = byId("overlay");
  on(net, ["connection", "me", "scene"], () => {
    const show =
      net.state.connection === "reconnecting" && (net.state.me !== null || net.state.scene === "boot");
    overlay.classList.toggle("show", show);
  });
}
