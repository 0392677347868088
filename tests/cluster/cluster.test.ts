import { spawn } from "node:child_process";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { createDb } from "../../apps/server/src/db.js";
import { closeServerSockets, joinServer, type Player } from "../lobby/helpers.js";
import { closeAll, connect, expectNothing, ok, record, request, waitFor } from "../support/client.js";
import { type ClusterNode, startCluster, type TestCluster } from "../support/cluster.js";
import { describeWithServices } from "../support/services.js";
import { befriend, type SocialPlayer, socialPlayer } from "../support/social.js";

let cluster: TestCluster;
let n = 0;
const name = (p: string) => `${p}${++n}_${Math.random().toString(36).slice(2, 6)}`;
const node = (i: number): ClusterNode => cluster.nodes[i % cluster.nodes.length]!;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function adminLogin() {
  const login = await node(0).register(name("boss"));
  const db = createDb(cluster.databaseUrl);
  await db.user.update({ where: { id: login.user.id }, data: { role: "admin" } });
  await db.$disconnect();
  return login;
}
const adminToken = async () => (await adminLogin()).token;

await describeWithServices("three nodes on one Redis and one PostgreSQL", ["redis", "postgres"], () => {
  beforeAll(async () => {
    cluster = await startCluster({ nodes: 3 });
  });
  afterEach(() => {
    closeServerSockets();
    closeAll();
  });
  afterAll(() => cluster?.close());

  it("started together, the three nodes applied each migration once", async () => {
    const db = createDb(cluster.databaseUrl);
    const rows = await db.$queryRawUnsafe<{ migration_name: string; n: bigint }[]>(
      `SELECT migration_name, count(*) AS n FROM "_prisma_migrations" GROUP BY migration_name`,
    );
    await db.$disconnect();
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(Number(row.n)).toBe(1);
  });

  it("sends the login alert to exactly the online, unblocked friends on every node, once", async () => {
    // A on node 0; B (friend) on 1; G (friend, appears offline) on 2; C (A asked), D (asked A),
    // E (blocked A) and F (stranger) spread over the nodes.
    const spots = { a: 0, b: 1, c: 2, d: 1, e: 2, f: 0, g: 2 } as const;
    const p = {} as Record<keyof typeof spots, SocialPlayer>;
    await Promise.all(
      Object.entries(spots).map(async ([key, at]) => {
        p[key as keyof typeof spots] = await socialPlayer(node(at), name(key), false);
      }),
    );
    await befriend(p.a, p.b);
    await ok(p.a.socket, "friends:request", { username: p.c.name });
    await ok(p.d.socket, "friends:request", { username: p.a.name });
    await befriend(p.a, p.e);
    await ok(p.e.socket, "friends:block", { userId: p.a.id });
    await befriend(p.g, p.a);
    await ok(p.g.socket, "presence:appear_offline", { appearOffline: true });
    for (const key of ["b", "c", "d", "e", "f", "g"] as const) await ok(p[key].socket, "presence:announce");
    // A second tab of B on yet another node: each of B's sockets gets it once.
    const bTab = await connect(node(2).url, p.b.token, "/");
    const logs = Object.fromEntries(Object.entries(p).map(([k, v]) => [k, record(v.socket)]));
    const bTabLog = record(bTab);
    expect(await ok(p.a.socket, "presence:announce")).toEqual({ announced: true });
    await waitFor(p.g.socket, "friend:online").catch(() => null);
    await sleep(800);
    const online = (log: ReturnType<typeof record>) => log.of("friend:online");
    expect(online(logs.b!)).toEqual([
      {
        user: { id: p.a.id, name: p.a.name },
        location: { server: null, channel: null, roomId: null, inGame: false },
      },
    ]);
    expect(online(bTabLog)).toHaveLength(1);
    expect(online(logs.g!)).toHaveLength(1);
    for (const key of ["a", "c", "d", "e", "f"]) expect(online(logs[key]!)).toEqual([]);
  });

  it("seats exactly 3 of 20 players racing from three nodes for 3 seats", async () => {
    const host = await joinServer(node(0), await node(0).register(name("host")));
    const room = await ok(host.socket, "room:create", {
      title: "Race",
      maxPlayers: 4,
      mode: "custom",
      visibility: "public",
    });
    const racers: Player[] = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => joinServer(node(i), await node(i).register(name("r")))),
    );
    const replies = await Promise.all(racers.map((r) => request(r.socket, "room:join", { roomId: room.id })));
    expect(replies.filter((r) => r.ok)).toHaveLength(3);
    expect(replies.filter((r) => !r.ok && r.error.code === "room_full")).toHaveLength(17);
    const list = await ok(racers[19]!.socket, "rooms:list");
    expect(list.find((r: any) => r.id === room.id).players).toBe(4);
  });

  it("carries channel and room chat across nodes, sender excluded, other channels and servers silent", async () => {
    const [s0, s1, s2, other, elsewhere] = await Promise.all(
      [0, 1, 2, 1, 2].map(async (i, k) =>
        joinServer(node(i), await node(i).register(name("chat")), k === 4 ? "na-1" : "eu-1"),
      ),
    );
    for (const p of [s0!, s1!, s2!]) await ok(p.socket, "channel:join", { channel: 2 });
    await ok(other!.socket, "channel:join", { channel: 3 });
    await ok(elsewhere!.socket, "channel:join", { channel: 2 });
    const got = [
      waitFor(s1!.socket, "channel:message_posted"),
      waitFor(s2!.socket, "channel:message_posted"),
    ];
    const silent = [s0!, other!, elsewhere!].map((p) =>
      expectNothing(p.socket, "channel:message_posted", 800),
    );
    await ok(s0!.socket, "channel:chat", { text: "hello channel" });
    for (const message of await Promise.all(got))
      expect(message).toMatchObject({ text: "hello channel", channel: 2 });
    await Promise.all(silent);

    const room = await ok(s1!.socket, "room:create", {
      title: "Chat",
      maxPlayers: 4,
      mode: "custom",
      visibility: "public",
    });
    await ok(s2!.socket, "room:join", { roomId: room.id });
    const toS2 = waitFor(s2!.socket, "room:message_posted");
    const notOthers = [s1!, s0!].map((p) => expectNothing(p.socket, "room:message_posted", 800));
    await ok(s1!.socket, "room:chat", { text: "hello room" });
    expect(await toS2).toMatchObject({ text: "hello room", roomId: room.id });
    await Promise.all(notOthers);
  });

  it("delivers a notice to each scoped player once, and fires scheduled ones and a countdown once", async () => {
    const token = await adminToken();
    const players = await Promise.all(
      [0, 1, 2].map(async (i) => connect(node(i).url, (await node(i).register(name("n"))).token, "/")),
    );
    const onServer = await Promise.all(
      [0, 1, 2].map(async (i) => joinServer(node(i), await node(i).register(name("m")), "asia-1")),
    );
    const logs = [...players, ...onServer.map((p) => p.socket)].map(record);
    const now = await node(1).http("POST", "/api/admin/notices", {
      token,
      body: { text: "Now", severity: "info", scope: { kind: "all" } },
    });
    expect(now.status).toBe(201);
    const later = await node(2).http("POST", "/api/admin/notices", {
      token,
      body: {
        text: "Later",
        severity: "info",
        scope: { kind: "all" },
        startsAt: new Date(Date.now() + 1_500).toISOString(),
      },
    });
    expect(later.status).toBe(201);
    const admin = await connect(node(0).url, token, "/admin");
    await ok(admin, "maintenance:start", { server: "asia-1", countdownSeconds: 2 });
    await Promise.all(onServer.map((p) => waitFor(p.socket, "server:closing", 8_000)));
    await sleep(1_500);
    for (const log of logs.slice(0, 3)) {
      expect(log.of("notice:posted").map((x: any) => x.text)).toEqual(["Now", "Later"]);
    }
    for (const log of logs.slice(3)) {
      expect(log.of("notice:posted").filter((x: any) => x.kind === "maintenance")).toHaveLength(1);
      expect(log.of("server:closing")).toHaveLength(1);
    }
  });

  it("logout on one node disconnects the session's sockets on the other two within 2 s", async () => {
    const login = await node(0).register(name("out"));
    const sockets = [
      await connect(node(1).url, login.token, "/"),
      await connect(node(2).url, login.token, "/"),
      (await joinServer(node(2), login)).socket,
    ];
    const other = await connect(node(1).url, (await node(1).register(name("stay"))).token, "/");
    const gone = sockets.map((s) => waitFor(s, "disconnect", 60_000));
    const stays = expectNothing(other, "disconnect", 3_000);
    expect((await node(0).http("POST", "/api/auth/logout", { token: login.token })).status).toBe(204);
    // The 2 s count from the logout's reply, not from a request that may queue on a busy machine.
    const late = sleep(2_000).then(() => {
      throw new Error("still connected 2 s after the logout");
    });
    await Promise.race([Promise.all(gone), late]);
    late.catch(() => {});
    await stays;
  });

  it("demotion by the admin CLI cuts that admin's /admin sockets on every node within 2 s", async () => {
    const { token, user } = await adminLogin();
    const admins = [await connect(node(1).url, token, "/admin"), await connect(node(2).url, token, "/admin")];
    const social = await connect(node(0).url, token, "/");
    const gone = admins.map((s) => waitFor(s, "disconnect", 60_000));
    const cli = spawn(
      process.execPath,
      ["--import", "tsx", "apps/server/src/cli/admin.ts", "demote", user.name],
      {
        env: { ...process.env, ...cluster.env, LOG_LEVEL: "silent" },
        stdio: ["ignore", "ignore", "pipe"],
      },
    );
    let stderr = "";
    cli.stderr!.on("data", (chunk) => {
      stderr += chunk;
    });
    const code = await new Promise((resolve) => cli.once("exit", resolve));
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    const late = sleep(2_000).then(() => {
      throw new Error("still connected 2 s after the demotion");
    });
    await Promise.race([Promise.all(gone), late]);
    late.catch(() => {});
    expect(social.connected).toBe(true);
  });

  it("invites a friend on another node, with the ack and the timeout", async () => {
    const [hostLogin, friendLogin] = [await node(0).register(name("h")), await node(1).register(name("f"))];
    const [hostSocial, friendSocial] = [
      await connect(node(0).url, hostLogin.token, "/"),
      await connect(node(1).url, friendLogin.token, "/"),
    ];
    await ok(hostSocial, "friends:request", { username: friendLogin.user.name });
    await ok(friendSocial, "friends:accept", { userId: hostLogin.user.id });
    const host = await joinServer(node(0), hostLogin);
    const friend = await joinServer(node(1), friendLogin);
    const room = await ok(host.socket, "room:create", {
      title: "Inv",
      maxPlayers: 4,
      mode: "custom",
      visibility: "invite_only",
    });

    // One listener that answers by invite id: on a busy machine the first invite can reach the
    // friend late, and must not be taken for the second.
    const seen: { inviteId: string; fromId: string }[] = [];
    let leftUnanswered: string | null = null;
    friend.socket.on("invite:received", (invite: any, answer: (reply: unknown) => void) => {
      seen.push({ inviteId: invite.inviteId, fromId: invite.from.id });
      if (leftUnanswered && invite.inviteId !== leftUnanswered) answer({ accept: true });
    });
    const first = await ok(host.socket, "room:invite", { userId: friend.id });
    const expired = await waitFor(host.socket, "invite:answered", 12_000);
    expect(expired).toMatchObject({ inviteId: first.inviteId, outcome: "expired" });
    leftUnanswered = first.inviteId;

    const answered = waitFor(host.socket, "invite:answered", 12_000);
    const second = await ok(host.socket, "room:invite", { userId: friend.id });
    expect(await answered).toMatchObject({ inviteId: second.inviteId, outcome: "accepted" });
    expect(seen.find((s) => s.inviteId === second.inviteId)?.fromId).toBe(host.id);
    const list = await ok(friend.socket, "rooms:list");
    expect(list.find((r: any) => r.id === room.id).players).toBe(2);
  });

  it("pushes servers:updated for the whole cluster at most about once a second", async () => {
    const watcher = await connect(node(0).url, (await node(0).register(name("w"))).token, "/");
    const log = record(watcher);
    const logins = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => node(i).register(name("pop"))));
    const started = Date.now();
    await Promise.all(logins.map((login, i) => joinServer(node(i), login, "na-1")));
    await sleep(2_500);
    const elapsed = Date.now() - started;
    const pushes = log.of("servers:updated") as any[];
    expect(pushes.length).toBeGreaterThan(0);
    expect(pushes.length).toBeLessThanOrEqual(Math.ceil(elapsed / 1_000) + 1);
    expect(pushes.at(-1).find((s: any) => s.slug === "na-1").population).toBe(6);
  });
});
