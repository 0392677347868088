import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { closeAll, connect, expectNothing, ok, waitFor } from "../support/client.js";
import { startServer, type TestServer } from "../support/server.js";
import { closeServerSockets, newPlayer } from "../lobby/helpers.js";

let server: TestServer;
let admin: string;
beforeAll(async () => {
  server = await startServer();
  admin = (await server.admin("noticeboss")).token;
});
afterEach(() => {
  closeServerSockets();
  closeAll();
});
afterAll(() => server.close());

const post = (body: object) => server.http("POST", "/api/admin/notices", { token: admin, body });
let n = 0;
const social = async () =>
  connect(server.url, (await server.register(`soc${++n}_${Date.now() % 1e5}`)).token, "/");

describe("scopes", () => {
  it("scope all reaches every client on /, nobody excluded", async () => {
    const [a, b] = [await social(), await social()];
    const onServer = await newPlayer(server, "eu-1");
    const got = [waitFor(a, "notice:posted"), waitFor(b, "notice:posted")];
    const notOnGameNamespace = expectNothing(onServer.socket, "notice:posted");
    const res = await post({ text: "Hello everyone", severity: "info", scope: { kind: "all" } });
    expect(res.status).toBe(201);
    for (const notice of await Promise.all(got)) {
      expect(notice).toMatchObject({
        id: res.body.id,
        text: "Hello everyone",
        severity: "info",
        scope: { kind: "all" },
      });
      expect(notice.author.name).toBe("noticeboss");
    }
    await notOnGameNamespace;
  });

  it("scope server reaches that server's clients, in a channel or not, and nobody else", async () => {
    const inChannel = await newPlayer(server, "eu-1");
    await ok(inChannel.socket, "channel:join", { channel: 1 });
    const browsing = await newPlayer(server, "eu-1");
    const elsewhere = await newPlayer(server, "na-1");
    const onRoot = await social();
    const got = [waitFor(inChannel.socket, "notice:posted"), waitFor(browsing.socket, "notice:posted")];
    const silent = [expectNothing(elsewhere.socket, "notice:posted"), expectNothing(onRoot, "notice:posted")];
    await post({ text: "EU restart soon", severity: "warning", scope: { kind: "server", server: "eu-1" } });
    for (const notice of await Promise.all(got))
      expect(notice.scope).toEqual({ kind: "server", server: "eu-1" });
    await Promise.all(silent);
  });

  it("scope channel reaches only that channel", async () => {
    const [c2, c3] = [await newPlayer(server, "asia-1"), await newPlayer(server, "asia-1")];
    await ok(c2.socket, "channel:join", { channel: 2 });
    await ok(c3.socket, "channel:join", { channel: 3 });
    // Same server but in no channel, channel 2 of another server, and the social namespace.
    const browsing = await newPlayer(server, "asia-1");
    const otherServer = await newPlayer(server, "eu-1");
    await ok(otherServer.socket, "channel:join", { channel: 2 });
    const onRoot = await social();
    const got = waitFor(c2.socket, "notice:posted");
    const silent = Promise.all(
      [c3.socket, browsing.socket, otherServer.socket, onRoot].map((s) => expectNothing(s, "notice:posted")),
    );
    await post({
      text: "Channel 2 event",
      severity: "critical",
      scope: { kind: "channel", server: "asia-1", channel: 2 },
    });
    expect((await got).text).toBe("Channel 2 event");
    await silent;
  });

  it("validates the notice", async () => {
    const cases: [object, string][] = [
      [{ text: "", severity: "info", scope: { kind: "all" } }, "text"],
      [{ text: "x".repeat(501), severity: "info", scope: { kind: "all" } }, "text"],
      [{ text: "x", severity: "loud", scope: { kind: "all" } }, "severity"],
      [{ text: "x", severity: "info", scope: { kind: "server", server: "nope" } }, "scope.server"],
      [
        { text: "x", severity: "info", scope: { kind: "channel", server: "eu-1", channel: 99 } },
        "scope.channel",
      ],
      [
        {
          text: "x",
          severity: "info",
          scope: { kind: "all" },
          expiresAt: new Date(Date.now() - 1000).toISOString(),
        },
        "expiresAt",
      ],
    ];
    for (const [body, field] of cases) {
      const res = await post(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error).toMatchObject({ code: "invalid_payload", field });
    }
  });
});

describe("late joiners, removal and expiry", () => {
  it("gives a late joiner the active notices of its scope", async () => {
    const fresh = await startServer();
    try {
      const token = (await fresh.admin("lateboss")).token;
      const send = (body: object) => fresh.http("POST", "/api/admin/notices", { token, body });
      await send({ text: "global", severity: "info", scope: { kind: "all" } });
      await send({ text: "eu", severity: "info", scope: { kind: "server", server: "eu-1" } });
      await send({
        text: "eu ch1",
        severity: "info",
        scope: { kind: "channel", server: "eu-1", channel: 1 },
      });
      await send({
        text: "future",
        severity: "info",
        scope: { kind: "all" },
        startsAt: new Date(Date.now() + 60_000).toISOString(),
      });
      const { token: playerToken } = await fresh.register("latecomer");
      const { io } = await import("socket.io-client");
      const root = io(`${fresh.url}/`, {
        auth: { token: playerToken },
        transports: ["websocket"],
        forceNew: true,
      });
      const rootSnapshot = await waitFor(root, "notices:snapshot");
      expect(rootSnapshot.map((x: any) => x.text)).toEqual(["global"]);
      const game = io(`${fresh.url}/servers/eu-1`, {
        auth: { token: playerToken },
        transports: ["websocket"],
        forceNew: true,
      });
      const gameSnapshot = await waitFor(game, "notices:snapshot");
      expect(gameSnapshot.map((x: any) => x.text)).toEqual(["eu"]);
      const channelNotice = waitFor(game, "notice:posted");
      await ok(game, "channel:join", { channel: 1 });
      expect((await channelNotice).text).toBe("eu ch1");
      root.close();
      game.close();
    } finally {
      await fresh.close();
    }
  });

  it("takes a notice down when it is deleted or expires", async () => {
    const client = await social();
    const posted = await post({ text: "short lived", severity: "info", scope: { kind: "all" } });
    const removed = waitFor(client, "notice:removed");
    expect(
      (await server.http("DELETE", `/api/admin/notices/${posted.body.id}`, { token: admin })).status,
    ).toBe(204);
    expect(await removed).toEqual({ id: posted.body.id });
    expect(
      (await server.http("DELETE", `/api/admin/notices/${posted.body.id}`, { token: admin })).status,
    ).toBe(404);

    const expiring = await post({
      text: "expires",
      severity: "info",
      scope: { kind: "all" },
      expiresAt: new Date(Date.now() + 600).toISOString(),
    });
    expect((await waitFor(client, "notice:removed", 5_000)).id).toBe(expiring.body.id);
    const { io } = await import("socket.io-client");
    const { token } = await server.register(`late${Date.now() % 1e5}`);
    const late = io(`${server.url}/`, { auth: { token }, transports: ["websocket"], forceNew: true });
    const snapshot = await waitFor(late, "notices:snapshot");
    late.close();
    expect(snapshot.some((x: any) => x.id === expiring.body.id)).toBe(false);
  });

  it("sends a scheduled notice at its start time", async () => {
    const client = await social();
    const early = expectNothing(client, "notice:posted", 300);
    const res = await post({
      text: "later",
      severity: "info",
      scope: { kind: "all" },
      startsAt: new Date(Date.now() + 800).toISOString(),
    });
    await early;
    expect((await waitFor(client, "notice:posted", 5_000)).id).toBe(res.body.id);
  });
});
