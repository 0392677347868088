import Phaser from "phaser";
import { Net } from "./net/client.js";
import { HEIGHT, WIDTH } from "./scenes/base.js";
import { GameScene } from "./scenes/game.js";
import { HudScene } from "./scenes/hud.js";
import { LobbyScene } from "./scenes/lobby.js";
import { LoginScene } from "./scenes/login.js";
import { RoomScene } from "./scenes/room.js";
import { ServersScene } from "./scenes/servers.js";
import "./ui/theme.css";

const net = new Net();
const SCENES = ["login", "servers", "lobby", "room", "game"] as const;

const game = new Phaser.Game({
  type: Phaser.AUTO,
  parent: "game",
  width: WIDTH,
  height: HEIGHT,
  backgroundColor: "#0b0e1a",
  dom: { createContainer: true },
  scale: { mode: Phaser.Scale.FIT, autoCenter: Phaser.Scale.CENTER_BOTH },
  scene: [LoginScene, ServersScene, LobbyScene, RoomScene, GameScene, HudScene],
  callbacks: {
    preBoot: (g) => g.registry.set("net", net),
  },
});

// One screen at a time, chosen by the network module's state; the HUD stays on top.
game.events.once(Phaser.Core.Events.READY, () => {
  game.scene.start("hud");
  net.bus.on("changed", (key) => {
    if (key !== "scene") return;
    for (const name of SCENES)
      if (name !== net.state.scene && game.scene.isActive(name)) game.scene.stop(name);
    game.scene.start(net.state.scene);
    game.scene.bringToTop("hud");
  });
  void net.resume().then((resumed) => {
    if (!resumed) net.go("login");
  });
});

if (import.meta.env.MODE === "test") {
  // Test builds only: a read-only snapshot of the client state, and a way to cut the transport.
  (window as unknown as { __rally: unknown }).__rally = {
    state: () => JSON.parse(JSON.stringify({ ...net.state, roomName: net.state.room?.title ?? null })),
    dropTransport: () => net.game.dropTransport(),
  };
}
