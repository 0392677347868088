import Phaser from "phaser";
import type { Net } from "../net/client.js";
import type { ClientState } from "../net/state.js";
import { h } from "../ui/dom.js";

export const FONT = "Nunito, system-ui, sans-serif";

/**
 * Shared scene plumbing. A screen's controls are plain DOM in the page's layout (`#screen`), so
 * they fill the window at any size and keep readable text; the canvas behind draws the motion.
 */
export abstract class BaseScene extends Phaser.Scene {
  protected net!: Net;
  private unsubscribe: (() => void)[] = [];

  init(): void {
    this.net = this.registry.get("net") as Net;
    this.events.once(Phaser.Scenes.Events.SHUTDOWN, () => {
      for (const off of this.unsubscribe.splice(0)) off();
    });
  }

  /** Shows the screen's DOM (with an entrance animation) until the scene shuts down. */
  protected mount(name: string, ...children: HTMLElement[]): HTMLElement {
    const screen = h("div", { class: `screen screen-${name}`, "data-screen": name }, ...children);
    document.getElementById("screen")?.replaceChildren(screen);
    this.events.once(Phaser.Scenes.Events.SHUTDOWN, () => screen.remove());
    return screen;
  }

  /** A screen heading: title, subtitle and optional controls on the right. */
  protected heading(title: HTMLElement | string, subtitle: string, ...right: HTMLElement[]): HTMLElement {
    return h(
      "header",
      { class: "screen-head" },
      h(
        "div",
        { class: "grow" },
        typeof title === "string" ? h("h1", {}, title) : title,
        h("p", { class: "sub" }, subtitle),
      ),
      ...right,
    );
  }

  /** Re-runs `render` when any of `keys` changes, until the scene shuts down. */
  protected watch(keys: (keyof ClientState)[], render: () => void): void {
    this.unsubscribe.push(this.net.bus.on("changed", (key) => keys.includes(key) && render()));
    render();
  }

  protected listen<K extends "moved" | "cue">(event: K, listener: (payload: never) => void): void {
    this.unsubscribe.push(this.net.bus.on(event, listener as never));
  }

  protected toast = (text: string) => this.net.toast(text, "bad");
}
