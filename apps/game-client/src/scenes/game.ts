import Phaser from "phaser";
import { attempt, h } from "../ui/dom.js";
import { BaseScene, CONTENT_WIDTH } from "./base.js";

/** A small shared scene: the roster in the arena, and the host's way back to the room. */
export class GameScene extends BaseScene {
  constructor() {
    super("game");
  }

  create(): void {
    this.backdrop("Game in progress", this.net.state.room?.title ?? "");
    const roster = this.net.state.roster ?? [];
    const cx = CONTENT_WIDTH / 2;
    const arena = this.add.circle(cx, 380, 210, 0x131a2e).setStrokeStyle(4, 0x46d3ff);
    this.tweens.add({ targets: arena, scale: 1.03, duration: 1200, yoyo: true, repeat: -1 });
    roster.forEach((player, i) => {
      const angle = (i / Math.max(1, roster.length)) * Math.PI * 2;
      const x = cx + Math.cos(angle) * 150;
      const y = 380 + Math.sin(angle) * 150;
      const dot = this.add.circle(
        x,
        y,
        22,
        Phaser.Display.Color.HSVToRGB(i / roster.length, 0.6, 0.95).color,
      );
      this.tweens.add({ targets: dot, y: y - 10, duration: 600 + i * 90, yoyo: true, repeat: -1 });
      this.add.text(x, y + 34, player.name, { fontSize: "14px", color: "#eef2ff" }).setOrigin(0.5);
    });
    const host = this.net.state.room?.host.id === this.net.state.me?.id;
    const panel = h(
      "div",
      { class: "panel", style: "text-align:center" },
      h("div", { "data-roster": "1" }, `${roster.length} players: ${roster.map((p) => p.name).join(", ")}`),
      host
        ? h(
            "button",
            {
              class: "btn",
              name: "end-game",
              style: "margin-top:10px",
              on: {
                click: () =>
                  void attempt(
                    () => this.net.game.room("room:end"),
                    undefined,
                    (t) => this.net.toast(t),
                  ),
              },
            },
            "End game — back to the room",
          )
        : h("div", { class: "muted", style: "margin-top:10px" }, "Waiting for the host to end the game…"),
    );
    this.panel(cx - 220, 620, 440, 80, panel);
  }
}
