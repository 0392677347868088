import type { FriendView, Location } from "@rally/protocol";
import type { Net } from "../net/client.js";
import { confirmAction } from "./dialog.js";
import { actionButton, attempt, clear, h } from "./dom.js";

/** A friend's whereabouts in words, with the server's display name ("Europe 1", not "eu-1"). */
export function where(net: Net, location: Location | null): string {
  if (!location?.server) return "In the menus";
  const parts = [net.serverName(location.server)];
  if (location.channel) parts.push(`channel ${location.channel}`);
  if (location.roomId) parts.push(location.inGame ? "in a game" : "in a waiting room");
  return parts.join(" · ");
}

/** The friends panel: add by name, requests, friends with where they are, and the blocked list. */
export function friendsPanel(net: Net): HTMLElement {
  const toast = (text: string) => net.toast(text, "bad");
  const friends = h("div", { class: "list grow" });
  const requests = h("div", { class: "list" });
  const blocked = h("details", { class: "blocked" });
  const addName = h("input", {
    name: "friend-name",
    class: "grow",
    placeholder: "Add by username",
    maxLength: 20,
    autocomplete: "off",
  }) as HTMLInputElement;
  const addError = h("div", { class: "error", role: "alert" });
  addName.addEventListener("input", () => {
    addError.textContent = "";
  });
  const addButton = actionButton("Add", { class: "btn small", name: "add-friend" }, async () => {
    const username = addName.value.trim();
    if (!username) {
      addError.textContent = "Type a username first.";
      return;
    }
    const done = await attempt(() => net.friendAction("friends:request", { username }), addError);
    if (!done) return;
    addName.value = "";
    net.toast(`Friend request sent to ${username}`, "good");
  });
  addName.addEventListener("keydown", (e) => e.key === "Enter" && addButton.click());
  const act = (event: string, userId: string, label: string) =>
    actionButton(
      label,
      { class: "btn small", name: event.split(":")[1] },
      () => net.friendAction(event, { userId }),
      toast,
    );
  const blockLink = (user: { id: string; name: string }) =>
    h(
      "button",
      {
        class: "link danger",
        name: "block",
        type: "button",
        on: {
          click: () =>
            confirmAction(
              `Block ${user.name}?`,
              `${user.name} will no longer see you online or be able to send you requests. You can unblock them later in Blocked players.`,
              "Block",
              () => net.friendAction("friends:block", { userId: user.id }),
            ),
        },
      },
      "Block",
    );

  net.bus.on("changed", (key) => {
    if (["friends", "incoming", "outgoing", "servers"].includes(key)) render();
    if (key === "blocked") renderBlocked();
  });
  const render = () => {
    clear(
      requests,
      ...net.state.incoming.map((r) =>
        h(
          "div",
          { class: "item request", "data-incoming": r.user.name },
          h(
            "div",
            { class: "grow" },
            h("strong", {}, r.user.name),
            h("div", { class: "where" }, "wants to be friends"),
          ),
          act("friends:accept", r.user.id, "Accept"),
          h("div", { class: "stack" }, act("friends:decline", r.user.id, "Decline"), blockLink(r.user)),
        ),
      ),
      ...net.state.outgoing.map((r) =>
        h(
          "div",
          { class: "item", "data-outgoing": r.user.name },
          h("span", { class: "grow muted" }, `Asked ${r.user.name}`),
          act("friends:cancel", r.user.id, "Cancel"),
        ),
      ),
    );
    for (const button of requests.querySelectorAll<HTMLElement>('[name="decline"], [name="cancel"]'))
      button.classList.add("ghost");
    const list = [...net.state.friends].sort(
      (a, b) => Number(b.status === "online") - Number(a.status === "online") || a.name.localeCompare(b.name),
    );
    if (list.length === 0)
      return clear(friends, h("div", { class: "empty" }, "No friends yet — add one by name"));
    clear(friends, ...list.map((f) => friendItem(net, f, blockLink(f))));
  };
  const renderBlocked = () => {
    const list = net.state.blocked;
    clear(
      blocked,
      h("summary", {}, `Blocked players (${list.length})`),
      ...(list.length === 0
        ? [h("div", { class: "empty" }, "Nobody blocked")]
        : list.map((u) =>
            h(
              "div",
              { class: "item", "data-blocked": u.name },
              h("span", { class: "grow" }, u.name),
              actionButton(
                "Unblock",
                { class: "btn ghost small", name: "unblock" },
                () => net.friendAction("friends:unblock", { userId: u.id }),
                toast,
              ),
            ),
          )),
    );
  };
  render();
  renderBlocked();
  return h(
    "div",
    { class: "panel friends", "data-panel": "friends" },
    h("h2", {}, "Friends"),
    h("div", { class: "row" }, addName, addButton),
    addError,
    requests,
    friends,
    blocked,
  );
}

function friendItem(net: Net, f: FriendView, block: HTMLElement): HTMLElement {
  const remove = h(
    "button",
    {
      class: "link",
      name: "remove",
      type: "button",
      on: {
        click: () =>
          confirmAction(`Remove ${f.name}?`, `${f.name} will leave your friends list.`, "Remove", () =>
            net.friendAction("friends:remove", { userId: f.id }),
          ),
      },
    },
    "Remove",
  );
  return h(
    "div",
    { class: `item friend ${f.status}`, "data-friend": f.name, "data-status": f.status },
    h("span", { class: `dot ${f.status}` }),
    h(
      "div",
      { class: "grow" },
      h("div", { class: "friend-name" }, f.name),
      h("div", { class: "where" }, f.status === "online" ? where(net, f.location) : "Offline"),
    ),
    h("div", { class: "stack actions" }, remove, block),
  );
}
