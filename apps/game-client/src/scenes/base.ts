import Phaser from "phaser";
import type { Net } from "../net/client.js";
import type { ClientState } from "../net/state.js";
import type { LineActions } from "../ui/chat.js";
import { attempt, h } from "../ui/dom.js";

export const WIDTH = 1280;
export const HEIGHT = 720;
/** The friends panel owns the right edge; scenes lay out in the space left of it. */
export const CONTENT_WIDTH = 980;

/** Shared scene plumbing: a backdrop, DOM panels placed in game coordinates, bus subscriptions. */
export abstract class BaseScene extends Phaser.Scene {
  protected net!: Net;
  private unsubscribe: (() => void)[] = [];

  init(): void {
    this.net = this.registry.get("net") as Net;
  }

  protected backdrop(title: string, subtitle = ""): void {
    this.add.rectangle(0, 0, WIDTH, HEIGHT, 0x0b0e1a).setOrigin(0);
    const glow = this.add.circle(CONTENT_WIDTH / 2, -120, 420, 0x1f3b8a, 0.35);
    this.tweens.add({ targets: glow, alpha: 0.2, duration: 2400, yoyo: true, repeat: -1 });
    for (let i = 0; i < 70; i++) {
      const star = this.add.circle(
        Math.random() * CONTENT_WIDTH,
        Math.random() * HEIGHT,
        Math.random() * 1.6 + 0.4,
        0xffffff,
        0.6,
      );
      this.tweens.add({
        targets: star,
        alpha: 0.1,
        duration: 900 + Math.random() * 2200,
        yoyo: true,
        repeat: -1,
      });
    }
    this.add
      .text(32, 40, title, {
        fontFamily: "Trebuchet MS, sans-serif",
        fontSize: "34px",
        fontStyle: "bold",
        color: "#ffb640",
      })
      .setShadow(0, 3, "#000000", 6);
    if (subtitle)
      this.add.text(34, 84, subtitle, {
        fontFamily: "Trebuchet MS, sans-serif",
        fontSize: "16px",
        color: "#93a0c8",
      });
  }

  /** Places a DOM element at game coordinates with a fixed size, so it scales with the canvas. */
  protected panel(x: number, y: number, width: number, height: number, element: HTMLElement): HTMLElement {
    element.style.width = `${width}px`;
    element.style.height = `${height}px`;
    this.add.dom(x, y, element).setOrigin(0);
    return element;
  }

  /** A modal over the whole game, inside Phaser's DOM container. Returns its close function. */
  protected modal(content: HTMLElement): () => void {
    const back = h(
      "div",
      { class: "modal-back", style: `position:absolute;width:${WIDTH}px;height:${HEIGHT}px` },
      content,
    );
    const dom = this.add.dom(0, 0, back).setOrigin(0).setDepth(1000);
    const close = () => dom.destroy();
    this.events.once(Phaser.Scenes.Events.SHUTDOWN, close);
    return close;
  }

  /** A form in a modal: Cancel closes it, and a failure of `run` shows in words under the form. */
  protected dialog(heading: string, fields: HTMLElement[], action: string, run: () => Promise<void>): void {
    const error = h("div", { class: "error", role: "alert" });
    let close = () => {};
    const form = h(
      "form",
      {
        class: "panel modal",
        on: {
          submit: (e) => {
            e.preventDefault();
            void attempt(async () => {
              await run();
              close();
            }, error);
          },
        },
      },
      h("h2", {}, heading),
      ...fields,
      h(
        "div",
        { class: "row", style: "margin-top:14px" },
        h("button", { class: "btn grow", type: "submit", name: "confirm" }, action),
        h("button", { class: "btn ghost", type: "button", on: { click: () => close() } }, "Cancel"),
      ),
      error,
    );
    close = this.modal(form);
  }
  /** Report and Ignore on other players' chat lines: a reason first for a report. */
  protected lineActions(): LineActions {
    return {
      me: () => this.net.state.me?.id ?? null,
      report: (line) => {
        const reason = h("input", {
          name: "report-reason",
          maxLength: 200,
          required: true,
        }) as HTMLInputElement;
        this.dialog(
          `Report ${line.from.name}`,
          [h("p", {}, `“${line.text}”`), h("label", {}, "Why?"), reason],
          "Report",
          async () => {
            await this.net.game.reportLine(line.id, reason.value.trim());
            this.net.toast("Thanks: an admin will look at it");
          },
        );
      },
      ignore: (line) =>
        void attempt(
          async () => {
            await this.net.ignore(line.from.id);
            this.net.toast(`You no longer see ${line.from.name}'s messages`);
          },
          undefined,
          (text) => this.net.toast(text),
        ),
    };
  }

  /** Re-runs `render` when any of `keys` changes, until the scene shuts down. */
  protected watch(keys: (keyof ClientState)[], render: () => void): void {
    this.unsubscribe.push(this.net.bus.on("changed", (key) => keys.includes(key) && render()));
    this.events.once(Phaser.Scenes.Events.SHUTDOWN, () => {
      for (const off of this.unsubscribe.splice(0)) off();
    });
    render();
  }
}
