import { Limits } from "@rally/protocol";
import type { Net } from "../net/client.js";

/** Arena units per second. */
const SPEED = 320;
/** Below the server's 20/s limit, with room for jitter. */
const SEND_EVERY_MS = 60;
const TICK_MS = 30;
const DIRECTIONS: Record<string, [number, number]> = {
  ArrowLeft: [-1, 0],
  ArrowRight: [1, 0],
  ArrowUp: [0, -1],
  ArrowDown: [0, 1],
  a: [-1, 0],
  d: [1, 0],
  w: [0, -1],
  s: [0, 1],
};

/**
 * Moves my avatar while arrow keys or WASD are held, by real elapsed time on its own timer: a
 * busy machine that draws few frames still moves the avatar as far, and the others hear it.
 */
export class KeyboardMover {
  private readonly held = new Set<string>();
  private timer: number | undefined;
  private last = 0;
  private lastSent = 0;
  /** Something to send: we moved, or a newcomer needs to learn where we are. */
  dirty = true;

  constructor(private readonly net: Net) {}

  private readonly onKey = (event: KeyboardEvent) => {
    const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
    if (!DIRECTIONS[key] || event.target instanceof HTMLInputElement) return;
    event.preventDefault();
    if (event.type === "keydown") this.held.add(key);
    else this.held.delete(key);
  };

  private readonly onBlur = () => this.held.clear();

  start(): void {
    window.addEventListener("keydown", this.onKey);
    window.addEventListener("keyup", this.onKey);
    window.addEventListener("blur", this.onBlur);
    this.last = performance.now();
    this.timer = window.setInterval(() => this.tick(), TICK_MS);
  }

  stop(): void {
    window.removeEventListener("keydown", this.onKey);
    window.removeEventListener("keyup", this.onKey);
    window.removeEventListener("blur", this.onBlur);
    window.clearInterval(this.timer);
    this.held.clear();
  }

  private tick(): void {
    const now = performance.now();
    const elapsed = Math.min(250, now - this.last);
    this.last = now;
    const me = this.net.state.me;
    const mine = me && this.net.game.positions.get(me.id);
    if (!mine) return;
    const counting = (this.net.state.gameStartsAt ?? 0) > Date.now();
    let dx = 0;
    let dy = 0;
    for (const key of this.held) {
      dx += DIRECTIONS[key]![0];
      dy += DIRECTIONS[key]![1];
    }
    dx = Math.sign(dx);
    dy = Math.sign(dy);
    if (!counting && (dx || dy)) {
      const step = (SPEED * elapsed) / 1000 / (dx && dy ? Math.SQRT2 : 1);
      // The avatar and its name stay inside the arena's walls.
      mine.x = Math.min(Limits.arenaWidth - 30, Math.max(30, mine.x + dx * step));
      mine.y = Math.min(Limits.arenaHeight - 46, Math.max(26, mine.y + dy * step));
      this.dirty = true;
    }
    if (this.dirty && Date.now() - this.lastSent >= SEND_EVERY_MS) {
      this.lastSent = Date.now();
      this.dirty = false;
      this.net.game.move(Math.round(mine.x), Math.round(mine.y));
    }
  }
}
