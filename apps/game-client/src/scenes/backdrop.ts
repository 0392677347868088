import Phaser from "phaser";

/** The animated sky behind every screen; it fills the window and pulses on a screen change. */
export class BackdropScene extends Phaser.Scene {
  private stars: Phaser.GameObjects.Arc[] = [];
  private glow!: Phaser.GameObjects.Arc;

  constructor() {
    super({ key: "backdrop" });
  }

  create(): void {
    this.glow = this.add.circle(0, 0, 520, 0x1f3b8a, 0.35);
    this.tweens.add({ targets: this.glow, alpha: 0.18, duration: 2600, yoyo: true, repeat: -1 });
    this.layout();
    this.scale.on(Phaser.Scale.Events.RESIZE, () => this.layout());
  }

  private layout(): void {
    const { width, height } = this.scale.gameSize;
    this.glow.setPosition(width * 0.4, -140);
    for (const star of this.stars) star.destroy();
    const count = Math.round((width * height) / 14_000);
    this.stars = Array.from({ length: count }, () => {
      const star = this.add.circle(
        Math.random() * width,
        Math.random() * height,
        Math.random() * 1.6 + 0.4,
        0xffffff,
        0.55,
      );
      this.tweens.add({
        targets: star,
        alpha: 0.08,
        duration: 900 + Math.random() * 2400,
        yoyo: true,
        repeat: -1,
      });
      return star;
    });
  }

  /** A short warp of the stars: the transition between two screens. */
  pulse(): void {
    const { width, height } = this.scale.gameSize;
    for (const star of this.stars) {
      const dx = star.x - width / 2;
      const dy = star.y - height / 2;
      this.tweens.add({
        targets: star,
        x: star.x + dx * 0.04,
        y: star.y + dy * 0.04,
        duration: 260,
        yoyo: true,
        ease: "Sine.easeInOut",
      });
    }
    this.tweens.add({ targets: this.glow, scale: 1.15, duration: 260, yoyo: true });
  }
}
