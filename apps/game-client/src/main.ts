import "@fontsource/nunito/400.css";
import "@fontsource/nunito/700.css";
import "@fontsource/nunito/800.css";
import "./ui/theme.css";
import Phaser from "phaser";
import { Net } from "./net/client.js";
import type { SceneName } from "./net/state.js";
import { BackdropScene } from "./scenes/backdrop.js";
import { GameScene } from "./scenes/game.js";
import { LobbyScene } from "./scenes/lobby.js";
import { LoginScene } from "./scenes/login.js";
import { RoomScene } from "./scenes/room.js";
import { ServersScene } from "./scenes/servers.js";
import { installShell } from "./ui/shell.js";
import { installSounds } from "./ui/sound.js";

const SCENES: Exclude<SceneName, "boot">[] = ["login", "servers", "lobby", "room", "game"];

async function start(): Promise<void> {
  // Canvas text is drawn once: the font must be there before the first text is created.
  await Promise.all(["400", "700", "800"].map((w) => document.fonts.load(`${w} 16px Nunito`))).catch(
    () => {},
  );
  const net = new Net();
  const shown: SceneName[] = [];
  const sounds = installSounds(net);
  installShell(net);

  const game = new Phaser.Game({
    type: Phaser.AUTO,
    parent: "game",
    backgroundColor: "#0b0e1a",
    // The canvas fills the window behind the page's layout; nothing is letterboxed or scaled down.
    scale: { mode: Phaser.Scale.RESIZE, width: "100%", height: "100%" },
    scene: [BackdropScene, LoginScene, ServersScene, LobbyScene, RoomScene, GameScene],
    // Test builds draw at 20 fps: several headless pages then share two cores. Movement uses real
    // elapsed time, so nothing else changes.
    ...(import.meta.env.MODE === "test" ? { fps: { limit: 20 } } : {}),
    callbacks: { preBoot: (g) => g.registry.set("net", net) },
  });

  // One screen at a time, chosen by the network module's state; the splash stays until then.
  const show = () => {
    const scene = net.state.scene;
    if (scene === "boot" || shown[shown.length - 1] === scene) return;
    shown.push(scene);
    document.getElementById("loading")?.classList.add("done");
    for (const name of SCENES) if (name !== scene && game.scene.isActive(name)) game.scene.stop(name);
    game.scene.start(scene);
    (game.scene.getScene("backdrop") as BackdropScene | null)?.pulse?.();
  };
  game.events.once(Phaser.Core.Events.READY, () => {
    net.bus.on("changed", (key) => key === "scene" && show());
    show();
    void net.resume().then((resumed) => {
      if (!resumed) net.go("login");
    });
  });

  if (import.meta.env.MODE === "test") {
    // Test builds only: read-only snapshots of the client, and a way to cut the transport.
    (window as unknown as { __rally: unknown }).__rally = {
      state: () => JSON.parse(JSON.stringify({ ...net.state, roomName: net.state.room?.title ?? null })),
      scenesShown: () => [...shown],
      positions: () => Object.fromEntries(net.game.positions),
      cues: () => [...sounds.played],
      dropTransport: () => net.game.dropTransport(),
    };
  }
}

void start();
