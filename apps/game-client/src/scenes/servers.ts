import { clear, h } from "../ui/dom.js";
import { BaseScene, CONTENT_WIDTH } from "./base.js";

export class ServersScene extends BaseScene {
  constructor() {
    super("servers");
  }

  create(): void {
    this.backdrop("Choose a server", "Live population — pick one to enter its lobby");
    const list = h("div", {
      class: "list",
      style: "display:grid;grid-template-columns:repeat(3,1fr);gap:12px",
    });
    const root = h(
      "div",
      { class: "panel" },
      h(
        "div",
        { class: "row" },
        h("h2", { class: "grow" }, "Game servers"),
        h("button", { class: "btn ghost small", on: { click: () => void this.net.logout() } }, "Sign out"),
      ),
      list,
    );
    this.panel(32, 130, CONTENT_WIDTH - 64, 540, root);
    this.watch(["servers"], () => {
      const servers = this.net.state.servers;
      if (servers.length === 0) return clear(list, h("div", { class: "empty" }, "Loading servers…"));
      clear(
        list,
        ...servers.map((server) => {
          const open = server.status === "open";
          const fill = Math.min(100, Math.round((server.population / server.maxPopulation) * 100));
          return h(
            "div",
            {
              class: `item ${open ? "clickable" : ""}`,
              "data-server": server.slug,
              style: "flex-direction:column;align-items:stretch;padding:14px",
              on: { click: () => open && this.net.game.enter(server.slug) },
            },
            h(
              "div",
              { class: "row" },
              h("strong", { class: "grow", style: "font-size:18px" }, server.name),
              h("span", { class: `badge ${server.status}` }, server.status),
            ),
            h("div", { class: "muted" }, `${server.region.toUpperCase()} · ${server.channelCount} channels`),
            h(
              "div",
              { style: "height:6px;background:#0b0e1a;border-radius:4px;margin:10px 0 4px" },
              h("div", { style: `height:6px;width:${fill}%;background:#46d3ff;border-radius:4px` }),
            ),
            h("div", { class: "muted population" }, `${server.population} / ${server.maxPopulation} players`),
          );
        }),
      );
    });
  }
}
