import Phaser from "phaser";
import { Limits, type RoomMember } from "@rally/protocol";
import { actionButton, clear, h } from "../ui/dom.js";
import { BaseScene, FONT } from "./base.js";
import { KeyboardMover } from "./mover.js";

const W = Limits.arenaWidth;
const H = Limits.arenaHeight;
const COLORS = [0xffb640, 0x46d3ff, 0x4ade80, 0xf472b6, 0xa78bfa, 0xf87171, 0xfacc15, 0x2dd4bf];

interface Avatar {
  body: Phaser.GameObjects.Container;
  x: number;
  y: number;
}

/** The shared moment: every player moves an avatar with the keyboard and sees the others live. */
export class GameScene extends BaseScene {
  private arenaEl!: HTMLElement;
  private floor!: Phaser.GameObjects.Graphics;
  private avatars = new Map<string, Avatar>();
  private mover!: KeyboardMover;
  private rect = { x: 0, y: 0, scale: 1 };
  private heard = new Set<string>();
  private lastFrame = 0;

  constructor() {
    super("game");
  }

  create(): void {
    this.avatars.clear();
    this.heard.clear();
    this.arenaEl = h("div", { class: "arena", "data-arena": "1" });
    const side = h("div", { class: "list" });
    const host = this.net.state.room?.host.id === this.net.state.me?.id;
    const end = host
      ? actionButton(
          "End game",
          { class: "btn", name: "end-game" },
          () => this.net.game.room("room:end"),
          this.toast,
        )
      : h("div", { class: "muted" }, "The host ends the game");
    this.mount(
      "game",
      this.heading(
        this.net.state.room?.title ?? "Game",
        "Move with the arrow keys or WASD — everyone in the room sees you live",
      ),
      h(
        "div",
        { class: "game-grid" },
        this.arenaEl,
        h(
          "section",
          { class: "panel col-players" },
          h("h2", {}, "Players"),
          side,
          h("div", { class: "grow" }),
          end,
        ),
      ),
    );
    this.floor = this.add.graphics();
    this.mover = new KeyboardMover(this.net);
    this.mover.start();
    this.events.once(Phaser.Scenes.Events.SHUTDOWN, () => this.mover.stop());
    this.layout();
    this.scale.on(Phaser.Scale.Events.RESIZE, this.layout, this);
    const observer = new ResizeObserver(() => this.layout());
    observer.observe(this.arenaEl);
    this.events.once(Phaser.Scenes.Events.SHUTDOWN, () => {
      observer.disconnect();
      this.scale.off(Phaser.Scale.Events.RESIZE, this.layout, this);
    });
    this.watch(["room"], () => {
      const members = this.net.state.room?.members ?? [];
      this.syncAvatars(members);
      clear(
        side,
        ...members.map((m, i) =>
          h(
            "div",
            { class: `item ${m.reconnecting ? "away" : ""}`, "data-player": m.name },
            h("span", {
              class: "swatch",
              style: `background:#${COLORS[i % COLORS.length]!.toString(16).padStart(6, "0")}`,
            }),
            h("span", { class: "grow" }, m.name),
            m.reconnecting ? h("span", { class: "badge maintenance" }, "reconnecting") : null,
          ),
        ),
      );
      const roster = h(
        "div",
        { "data-roster": "1", class: "muted" },
        `${members.length} players: ${members.map((m) => m.name).join(", ")}`,
      );
      side.append(roster);
    });
    this.listen("moved", ((move: { userId: string }) => {
      // A player we had not heard from (they just arrived or reloaded) learns where we are.
      if (!this.heard.has(move.userId)) {
        this.heard.add(move.userId);
        this.mover.dirty = true;
      }
    }) as never);
    this.countdown();
  }

  /**
   * The 3-2-1 is read from the clock on every frame, not from timers: a frame skipped by a busy
   * or hidden tab cannot leave a stale number on screen.
   */
  private countdown(): void {
    const startsAt = this.net.state.gameStartsAt ?? 0;
    if (startsAt - Date.now() <= 0) return;
    const label = this.add
      .text(0, 0, "", {
        fontFamily: FONT,
        fontSize: "120px",
        fontStyle: "800",
        color: "#ffb640",
        stroke: "#0b0e1a",
        strokeThickness: 10,
      })
      .setOrigin(0.5)
      .setDepth(10);
    let shown = "";
    const tick = () => {
      const msLeft = startsAt - Date.now();
      const text = msLeft > 0 ? String(Math.ceil(msLeft / 1000)) : msLeft > -700 ? "GO!" : "";
      if (text === shown) return;
      shown = text;
      if (!text) {
        this.events.off(Phaser.Scenes.Events.UPDATE, tick);
        label.destroy();
        return;
      }
      const { x, y, scale } = this.rect;
      label
        .setText(text)
        .setPosition(x + (W * scale) / 2, y + (H * scale) / 2)
        .setScale(1.6);
      this.tweens.add({ targets: label, scale: 1, duration: 350, ease: "Back.easeOut" });
      this.net.bus.emit("cue", "tick");
    };
    this.events.on(Phaser.Scenes.Events.UPDATE, tick);
    this.events.once(Phaser.Scenes.Events.SHUTDOWN, () => this.events.off(Phaser.Scenes.Events.UPDATE, tick));
  }

  private layout(): void {
    if (!this.arenaEl?.isConnected) return;
    const box = this.arenaEl.getBoundingClientRect();
    const scale = Math.min(box.width / W, box.height / H);
    this.rect = {
      x: box.left + (box.width - W * scale) / 2,
      y: box.top + (box.height - H * scale) / 2,
      scale,
    };
    const { x, y } = this.rect;
    this.floor.clear();
    this.floor.fillStyle(0x131a2e, 0.92).fillRoundedRect(x, y, W * scale, H * scale, 16);
    this.floor.lineStyle(1, 0x2e3a63, 0.6);
    for (let gx = 60; gx < W; gx += 60)
      this.floor.lineBetween(x + gx * scale, y, x + gx * scale, y + H * scale);
    for (let gy = 60; gy < H; gy += 60)
      this.floor.lineBetween(x, y + gy * scale, x + W * scale, y + gy * scale);
    this.floor.lineStyle(3, 0x46d3ff, 0.8).strokeRoundedRect(x, y, W * scale, H * scale, 16);
    for (const avatar of this.avatars.values()) avatar.body.setScale(Math.max(0.6, scale));
  }

  private syncAvatars(members: RoomMember[]): void {
    const ids = new Set(members.map((m) => m.id));
    for (const [id, avatar] of this.avatars) {
      if (ids.has(id)) continue;
      // A player who left or lost their seat fades out of the arena.
      this.tweens.add({
        targets: avatar.body,
        alpha: 0,
        scale: 0.2,
        duration: 300,
        onComplete: () => avatar.body.destroy(),
      });
      this.avatars.delete(id);
    }
    members.forEach((m, i) => {
      let avatar = this.avatars.get(m.id);
      if (!avatar) {
        const heard = this.net.game.positions.get(m.id);
        const start = heard ?? { x: Math.round(((i + 1) * W) / (members.length + 1)), y: Math.round(H / 2) };
        const mine = m.id === this.net.state.me?.id;
        const color = COLORS[i % COLORS.length]!;
        const disc = this.add
          .circle(0, 0, 22, color)
          .setStrokeStyle(mine ? 4 : 2, mine ? 0xffffff : 0x0b0e1a);
        const initial = this.add
          .text(0, 0, m.name.charAt(0).toUpperCase(), {
            fontFamily: FONT,
            fontSize: "22px",
            fontStyle: "800",
            color: "#0b0e1a",
          })
          .setOrigin(0.5);
        const name = this.add
          .text(0, 36, mine ? `${m.name} (you)` : m.name, {
            fontFamily: FONT,
            fontSize: "15px",
            fontStyle: "700",
            color: "#eef2ff",
          })
          .setOrigin(0.5);
        const body = this.add.container(0, 0, [disc, initial, name]).setDepth(5).setScale(0.1);
        this.tweens.add({
          targets: body,
          scale: Math.max(0.6, this.rect.scale),
          duration: 350,
          ease: "Back.easeOut",
        });
        avatar = { body, ...start };
        this.avatars.set(m.id, avatar);
        if (mine) this.net.game.positions.set(m.id, start);
      }
      avatar.body.setAlpha(m.reconnecting ? 0.35 : 1);
    });
  }

  update(): void {
    const me = this.net.state.me;
    if (!me) return;
    // Real elapsed time, not Phaser's smoothed delta: others glide as far on a slow machine.
    const now = performance.now();
    const delta = Math.min(250, now - (this.lastFrame || now));
    this.lastFrame = now;
    const { x, y, scale } = this.rect;
    for (const [id, avatar] of this.avatars) {
      const target = this.net.game.positions.get(id) ?? avatar;
      // Others glide toward the last position heard, hiding the gaps between updates.
      const k = id === me.id ? 1 : Math.min(1, delta / 80);
      avatar.x += (target.x - avatar.x) * k;
      avatar.y += (target.y - avatar.y) * k;
      avatar.body.setPosition(x + avatar.x * scale, y + avatar.y * scale);
    }
  }
}
