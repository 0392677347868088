import { clear, h } from "../ui/dom.js";
import { BaseScene } from "./base.js";

export class ServersScene extends BaseScene {
  constructor() {
    super("servers");
  }

  create(): void {
    const list = h("div", { class: "server-grid" });
    this.mount(
      "servers",
      this.heading("Choose a server", "Live population — pick one to enter its lobby"),
      list,
    );
    this.watch(["servers", "friends"], () => {
      const servers = this.net.state.servers;
      if (servers.length === 0) return clear(list, h("div", { class: "empty" }, "Loading servers…"));
      clear(
        list,
        ...servers.map((server) => {
          const open = server.status === "open";
          const fill = Math.min(100, Math.round((server.population / server.maxPopulation) * 100));
          const friendsHere = this.net.state.friends.filter(
            (f) => f.status === "online" && f.location?.server === server.slug,
          );
          return h(
            "button",
            {
              class: `card server ${open ? "" : "disabled"}`,
              type: "button",
              "data-server": server.slug,
              disabled: !open,
              on: { click: () => open && this.net.game.enter(server.slug) },
            },
            h(
              "div",
              { class: "row" },
              h("strong", { class: "grow card-title" }, server.name),
              h("span", { class: `badge ${server.status}` }, server.status),
            ),
            h("div", { class: "muted" }, `${server.region.toUpperCase()} · ${server.channelCount} channels`),
            h("div", { class: "meter" }, h("div", { style: `width:${fill}%` })),
            h(
              "div",
              { class: "row muted" },
              h(
                "span",
                { class: "grow population" },
                `${server.population} / ${server.maxPopulation} players`,
              ),
              friendsHere.length
                ? h(
                    "span",
                    { class: "friends-here" },
                    `${friendsHere.length} friend${friendsHere.length > 1 ? "s" : ""} here`,
                  )
                : null,
            ),
          );
        }),
      );
    });
  }
}
