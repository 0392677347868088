import { afterAll, afterEach, expect, it } from "vitest";
import { io, type Socket } from "socket.io-client";
import { closeServerSockets, joinServer } from "../lobby/helpers.js";
import { closeAll, connect, ok, record, waitFor } from "../support/client.js";
import { startCluster, type TestCluster } from "../support/cluster.js";
import { PrivateRedis, startHaproxy, until } from "../support/processes.js";
import { describeWithServices } from "../support/services.js";

let n = 0;
const name = (p: string) => `${p}${++n}_${Math.random().toString(36).slice(2, 6)}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const GRACE = { SEAT_GRACE_MS: "4000", PRESENCE_GRACE_MS: "4000" };

/** A client as a browser would be: through the balancer, reconnecting on its own. */
function viaBalancer(url: string, token: string, namespace: string): Socket {
  return io(url + namespace, {
    auth: { token },
    transports: ["websocket"],
    forceNew: true,
    reconnectionDelay: 300,
    reconnectionDelayMax: 1_000,
  });
}

const opened: Socket[] = [];
afterEach(() => {
  for (const socket of opened.splice(0)) socket.close();
  closeServerSockets();
  closeAll();
});

await describeWithServices("a node dies (kill -9) behind HAProxy", ["redis", "postgres", "haproxy"], () => {
  let cluster: TestCluster;
  let lb: Awaited<ReturnType<typeof startHaproxy>>;
  afterAll(async () => {
    await lb?.stop();
    await cluster?.close();
  });

  it("players come back to their room through another node after kill -9 and after a clean stop, friends see no flap, the dead node's timers still fire", async () => {
    cluster = await startCluster({ nodes: 3, env: GRACE });
    const [doomed, survivor] = [cluster.nodes[0]!, cluster.nodes[1]!];
    lb = await startHaproxy(cluster.nodes.map((node) => node.url));

    // The watcher is everybody's friend and sits on a node that survives.
    const watcherLogin = await survivor.register(name("w"));
    const watcher = await connect(survivor.url, watcherLogin.token, "/");
    await ok(watcher, "presence:announce");

    // Six players through the balancer (two per node), all in one room, all the watcher's friends.
    const players: { id: string; social: Socket; game: Socket; welcomes: any[] }[] = [];
    for (let i = 0; i < 6; i++) {
      const login = await survivor.register(name("p"));
      const social = viaBalancer(lb.url, login.token, "/");
      const game = viaBalancer(lb.url, login.token, "/servers/eu-1");
      opened.push(social, game);
      const welcomes: any[] = [];
      game.on("server:welcome", (w) => welcomes.push(w));
      await Promise.all([waitFor(social, "connect", 5_000), waitFor(game, "server:welcome", 5_000)]);
      await ok(social, "friends:request", { username: watcherLogin.user.name });
      await ok(watcher, "friends:accept", { userId: login.user.id });
      await ok(social, "presence:announce");
      players.push({ id: login.user.id, social, game, welcomes });
    }
    const room = await ok(players[0]!.game, "room:create", {
      title: "Survive",
      maxPlayers: 10,
      mode: "custom",
      visibility: "public",
    });
    for (const p of players.slice(1)) await ok(p.game, "room:join", { roomId: room.id });

    // Two players straight on the doomed node, in a room with one on the survivor: Q leaves
    // cleanly just before the kill (its seat timer was armed by the doomed node), R dies with it.
    const [q, r, keeper] = await Promise.all(
      [doomed, doomed, survivor].map(async (node) => {
        const login = await node.register(name("d"));
        return { login, player: await joinServer(node, login) };
      }),
    );
    const rSocial = await connect(doomed.url, r!.login.token, "/");
    await ok(rSocial, "friends:request", { username: watcherLogin.user.name });
    await ok(watcher, "friends:accept", { userId: r!.login.user.id });
    await ok(rSocial, "presence:announce");
    const side = await ok(keeper!.player.socket, "room:create", {
      title: "Side",
      maxPlayers: 4,
      mode: "custom",
      visibility: "public",
    });
    await ok(q!.player.socket, "room:join", { roomId: side.id });
    await ok(r!.player.socket, "room:join", { roomId: side.id });
    const watcherLog = record(watcher);
    const keeperLog = record(keeper!.player.socket);
    // A notice the doomed node schedules, due after it is gone.
    const adminLogin = await survivor.register(name("boss"));
    const { createDb } = await import("../../apps/server/src/db.js");
    const db = createDb(cluster.databaseUrl);
    await db.user.update({ where: { id: adminLogin.user.id }, data: { role: "admin" } });
    await db.$disconnect();
    const scheduled = await doomed.http("POST", "/api/admin/notices", {
      token: adminLogin.token,
      body: {
        text: "After the crash",
        severity: "info",
        scope: { kind: "all" },
        startsAt: new Date(Date.now() + 2_000).toISOString(),
      },
    });
    expect(scheduled.status).toBe(201);

    q!.player.socket.close();
    await sleep(300);
    const dropped = players.filter((p) => p.game.connected);
    const lost: typeof players = [];
    for (const p of players) p.game.once("disconnect", () => lost.push(p));
    doomed.process.kill("SIGKILL");
    await doomed.exited;

    await until(() => lost.length > 0, 5_000, "players of the killed node to notice");
    // Everyone is connected again, and every game socket that dropped was welcomed back into the room.
    await until(() => players.every((p) => p.game.connected && p.social.connected), 20_000, "reconnects");
    await until(() => lost.every((p) => p.welcomes.length >= 2), 10_000, "welcomes");
    for (const p of lost) expect(p.welcomes.at(-1).restored.room?.id).toBe(room.id);
    expect(dropped.length).toBe(6);

    // The doomed node's timers: Q's seat freed, R dropped once its node is found dead, the notice.
    await until(
      () => keeperLog.of("room:seat_freed").length === 2,
      25_000,
      "both seats of the dead node's players to be freed",
    );
    expect(
      keeperLog
        .of("room:seat_freed")
        .map((x: any) => x.user.id)
        .sort(),
    ).toEqual([q!.login.user.id, r!.login.user.id].sort());
    // R comes back later, on another node: told which seat it lost.
    const back = await joinServer(survivor, r!.login);
    expect(back.welcome.restored.seatLost).toEqual({ roomId: side.id, title: "Side" });
    back.socket.close();
    await until(() => watcherLog.of("notice:posted").length === 1, 5_000, "the scheduled notice");
    await until(() => watcherLog.of("friend:offline").length === 1, 10_000, "R to go offline");
    await sleep(1_000);
    // Only R, who never came back, went offline; the six who came back never flapped.
    expect(watcherLog.of("friend:offline").map((x: any) => x.user.id)).toEqual([r!.login.user.id]);
    expect(watcherLog.of("notice:posted")).toHaveLength(1);
    const list = await ok(players[0]!.game, "rooms:list");
    expect(list.find((x: any) => x.id === room.id).players).toBe(6);

    // A clean stop (SIGTERM, as a redeploy does): its players move to the last node the same way.
    const third = cluster.nodes[2]!;
    const moved: typeof players = [];
    for (const p of players) p.game.once("disconnect", () => moved.push(p));
    const seen = new Map(players.map((p) => [p, p.welcomes.length]));
    third.process.kill("SIGTERM");
    await third.exited;
    expect(moved.length).toBeGreaterThan(0);
    await until(() => players.every((p) => p.game.connected && p.social.connected), 20_000, "reconnects");
    await until(() => moved.every((p) => p.welcomes.length > seen.get(p)!), 10_000, "welcomes again");
    for (const p of moved) expect(p.welcomes.at(-1).restored.room?.id).toBe(room.id);
    await sleep(1_000);
    expect(watcherLog.of("friend:offline").map((x: any) => x.user.id)).toEqual([r!.login.user.id]);
    expect(keeperLog.of("room:seat_freed")).toHaveLength(2);
    const after = await ok(players[0]!.game, "rooms:list");
    expect(after.find((x: any) => x.id === room.id).players).toBe(6);
  }, 120_000);
});

await describeWithServices("Redis restarts under three nodes", ["postgres", "redis-server"], () => {
  let cluster: TestCluster;
  let redis: PrivateRedis;
  afterAll(async () => {
    await cluster?.close();
    await redis?.close();
  });

  it("recovers without a node restart: cross-node chat, acks and alerts work again", async () => {
    redis = await PrivateRedis.start();
    cluster = await startCluster({ nodes: 3, redisUrl: redis.url });
    const [a, b] = [cluster.nodes[0]!, cluster.nodes[2]!];
    const [la, lb] = [await a.register(name("a")), await b.register(name("b"))];
    const [sa, sb] = [await connect(a.url, la.token, "/"), await connect(b.url, lb.token, "/")];
    await ok(sa, "friends:request", { username: lb.user.name });
    await ok(sb, "friends:accept", { userId: la.user.id });
    await ok(sb, "presence:announce");
    const [ga, gb] = [await joinServer(a, la), await joinServer(b, lb)];
    for (const p of [ga, gb]) await ok(p.socket, "channel:join", { channel: 1 });

    await redis.stop();
    await sleep(3_000);
    await redis.startProcess();
    // The nodes reconnect on their own; give the adapter's blocked reads time to resume.
    await until(
      async () => {
        const got = waitFor(gb.socket, "channel:message_posted", 1_000);
        await ok(ga.socket, "channel:chat", { text: "anyone?" });
        return Boolean(await got);
      },
      20_000,
      "cross-node chat after the restart",
    );
    // A broadcast with acks (pub/sub, the reported failure mode): an invite and its answer.
    const room = await ok(ga.socket, "room:create", {
      title: "Back",
      maxPlayers: 4,
      mode: "custom",
      visibility: "public",
    });
    gb.socket.once("invite:received", (_invite: unknown, answer: (reply: unknown) => void) =>
      answer({ accept: true }),
    );
    await ok(ga.socket, "room:invite", { userId: gb.id });
    expect((await waitFor(ga.socket, "invite:answered", 5_000)).outcome).toBe("accepted");
    expect((await ok(gb.socket, "rooms:list")).find((x: any) => x.id === room.id).players).toBe(2);
    // A node-to-node presence alert after the restart (B announced before it).
    const alert = waitFor(sb, "friend:online", 5_000);
    await ok(sa, "presence:announce");
    expect((await alert).user.id).toBe(la.user.id);
  }, 90_000);
});
