import { Limits } from "@rally/protocol";
import { DEFAULT_SOCKET_LIMITS } from "../../apps/server/src/config.js";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { closeAll, connect, expectNothing, ok, request, waitFor } from "../support/client.js";
import { withDb } from "../support/db.js";
import { startServer, type TestServer } from "../support/server.js";
import { closeServerSockets, newPlayer } from "../lobby/helpers.js";

let server: TestServer;
let adminToken: string;
beforeAll(async () => {
  // A roomy event budget: these tests check the report limit, not the flood guard before it.
  const budget = { burst: 10_000, perSecond: 1_000 };
  server = await startServer({
    chatFilterWords: ["darn", "heck"],
    socketLimits: { ...DEFAULT_SOCKET_LIMITS, socketBudget: budget, userBudget: budget },
  });
  adminToken = (await server.admin("referee")).token;
});
afterEach(() => {
  closeServerSockets();
  closeAll();
});
afterAll(() => server.close());

describe("reports", () => {
  it("copies the reported line and its surroundings into the report; admins see and resolve it", async () => {
    const admin = await connect(server.url, adminToken, "/admin");
    const rude = await newPlayer(server, "eu-1", "rude");
    const witness = await newPlayer(server, "eu-1", "wit");
    await ok(rude.socket, "channel:join", { channel: 3 });
    await ok(witness.socket, "channel:join", { channel: 3 });
    await ok(witness.socket, "channel:chat", { text: "hi all" });
    const bad = await ok(rude.socket, "channel:chat", { text: "you are all terrible" });
    await ok(witness.socket, "channel:chat", { text: "rude" });

    const created = waitFor(admin, "report:created");
    const { reportId } = await ok(witness.socket, "report:create", {
      kind: "message",
      messageId: bad.id,
      reason: "Insults",
    });
    const report = await created;
    expect(report).toMatchObject({
      id: reportId,
      kind: "message",
      reporter: { id: witness.id, name: witness.name },
      target: { id: rude.id, name: rude.name },
      reason: "Insults",
      status: "open",
      message: { id: bad.id, text: "you are all terrible", where: "eu-1 channel 3" },
    });
    expect(report.context.map((line: any) => line.text)).toEqual(["hi all", "you are all terrible", "rude"]);
    expect((await ok(admin, "reports:list", { status: "open" })).map((r: any) => r.id)).toContain(reportId);

    const resolved = waitFor(admin, "report:resolved");
    const done = await ok(admin, "reports:resolve", { id: reportId, resolution: "Muted for an hour" });
    expect(done).toMatchObject({
      status: "resolved",
      resolution: "Muted for an hour",
      resolvedBy: { name: "referee" },
    });
    expect((await resolved).id).toBe(reportId);
    expect(await request(admin, "reports:resolve", { id: reportId, resolution: "again" })).toMatchObject({
      ok: false,
      error: { code: "already_resolved" },
    });
    expect(await request(admin, "reports:resolve", { id: "nope", resolution: "x" })).toMatchObject({
      ok: false,
      error: { code: "report_not_found" },
    });
    const open = await server.http("GET", "/api/admin/reports", { token: adminToken });
    expect(open.body.some((r: any) => r.id === reportId)).toBe(false);
  });

  it("reports a player, refuses unknown lines and oneself, and stops a flood", async () => {
    const reporter = await newPlayer(server, "na-1", "snitch");
    const other = await newPlayer(server, "na-1", "other");
    await ok(reporter.socket, "channel:join", { channel: 1 });
    const mine = await ok(reporter.socket, "channel:chat", { text: "my own line" });
    const refusals: [unknown, string][] = [
      [{ kind: "message", messageId: "not-a-line", reason: "x" }, "message_not_found"],
      [{ kind: "message", messageId: mine.id, reason: "x" }, "cannot_moderate_self"],
      [{ kind: "player", userId: "nobody", reason: "x" }, "user_not_found"],
      [{ kind: "player", userId: other.id, reason: "" }, "invalid_payload"],
    ];
    for (const [payload, code] of refusals) {
      expect(await request(reporter.socket, "report:create", payload)).toMatchObject({
        ok: false,
        error: { code },
      });
    }
    for (let i = 0; i < Limits.reportBurst; i++) {
      await ok(reporter.socket, "report:create", {
        kind: "player",
        userId: other.id,
        reason: `cheating ${i}`,
      });
    }
    const flood = await request(reporter.socket, "report:create", {
      kind: "player",
      userId: other.id,
      reason: "more",
    });
    expect(flood).toMatchObject({
      ok: false,
      error: { code: "rate_limited", message: "At most 5 reports every 10 minutes" },
    });
    expect(
      await request(reporter.socket, "report:create", { kind: "player", userId: other.id, reason: "again" }),
    ).toMatchObject({
      ok: false,
      error: { code: "rate_limited" },
    });
    const audited = await withDb(server, (db) =>
      db.auditEntry.findMany({ where: { actorId: reporter.id, action: "report.refused" } }),
    );
    expect(audited.map((e) => JSON.parse(e.detail!))).toEqual([{ code: "rate_limited" }]);
    const stored = await withDb(server, (db) => db.report.count({ where: { reporterId: reporter.id } }));
    expect(stored).toBe(Limits.reportBurst);
  });
});

describe("ignore", () => {
  it("keeps an ignored player's chat lines, history and invites away, until removed", async () => {
    const pest = await newPlayer(server, "asia-1", "pest");
    const calm = await newPlayer(server, "asia-1", "calm");
    const third = await newPlayer(server, "asia-1", "third");
    const social = await connect(server.url, calm.login.token, "/");
    for (const p of [pest, third]) await ok(p.socket, "channel:join", { channel: 2 });
    const early = await ok(pest.socket, "channel:chat", { text: "before you came" });

    await ok(social, "ignore:add", { userId: pest.id });
    expect(await ok(social, "ignore:list")).toEqual([{ id: pest.id, name: pest.name }]);
    const joined = await ok(calm.socket, "channel:join", { channel: 2 });
    expect(joined.history.map((line: any) => line.id)).not.toContain(early.id);

    const quiet = expectNothing(calm.socket, "channel:message_posted");
    const heard = waitFor(third.socket, "channel:message_posted");
    await ok(pest.socket, "channel:chat", { text: "can you hear me" });
    expect((await heard).text).toBe("can you hear me");
    await quiet;

    // An invite from the ignored friend just expires; room chat skips the ignorer too.
    await withDb(server, (db) =>
      db.friendship.create({
        data:
          pest.id < calm.id ? { userAId: pest.id, userBId: calm.id } : { userAId: calm.id, userBId: pest.id },
      }),
    );
    const room = await ok(pest.socket, "room:create", {
      title: "Come",
      maxPlayers: 4,
      mode: "custom",
      visibility: "public",
    });
    const noInvite = expectNothing(calm.socket, "invite:received", 1_500);
    const answered = waitFor(pest.socket, "invite:answered", 5_000);
    await ok(pest.socket, "room:invite", { userId: calm.id });
    expect((await answered).outcome).toBe("expired");
    await noInvite;
    for (const p of [calm, third]) await ok(p.socket, "room:join", { roomId: room.id });
    const quietRoom = expectNothing(calm.socket, "room:message_posted");
    const heardRoom = waitFor(third.socket, "room:message_posted");
    await ok(pest.socket, "room:chat", { text: "in the room" });
    expect((await heardRoom).text).toBe("in the room");
    await quietRoom;

    await ok(social, "ignore:remove", { userId: pest.id });
    const back = waitFor(calm.socket, "channel:message_posted");
    await ok(pest.socket, "channel:chat", { text: "friends again" });
    expect((await back).text).toBe("friends again");
  });

  it("refuses oneself, unknown players and removing who is not ignored; the list persists", async () => {
    const me = await newPlayer(server, "eu-1", "me");
    const you = await newPlayer(server, "eu-1", "you");
    const social = await connect(server.url, me.login.token, "/");
    expect(await request(social, "ignore:add", { userId: me.id })).toMatchObject({
      ok: false,
      error: { code: "cannot_ignore_self" },
    });
    expect(await request(social, "ignore:add", { userId: "nobody" })).toMatchObject({
      ok: false,
      error: { code: "user_not_found" },
    });
    expect(await request(social, "ignore:remove", { userId: you.id })).toMatchObject({
      ok: false,
      error: { code: "not_found" },
    });
    await ok(social, "ignore:add", { userId: you.id });
    social.close();
    const again = await connect(server.url, me.login.token, "/");
    expect(await ok(again, "ignore:list")).toEqual([{ id: you.id, name: you.name }]);
  });
});

describe("chat filter", () => {
  it("masks listed words, whole words only, in the reply, the broadcast and the history", async () => {
    const speaker = await newPlayer(server, "eu-1", "speak");
    const hearer = await newPlayer(server, "eu-1", "hear");
    for (const p of [speaker, hearer]) await ok(p.socket, "channel:join", { channel: 4 });
    const heard = waitFor(hearer.socket, "channel:message_posted");
    const sent = await ok(speaker.socket, "channel:chat", { text: "Darn it, what the HECK, darnation" });
    expect(sent.text).toBe("**** it, what the ****, darnation");
    expect((await heard).text).toBe(sent.text);
    const history = (await ok(hearer.socket, "channel:join", { channel: 4 })).history;
    expect(history.at(-1).text).toBe(sent.text);
  });

  it("is off by default", async () => {
    const plain = await startServer();
    try {
      const p = await newPlayer(plain, "eu-1", "plain");
      await ok(p.socket, "channel:join", { channel: 1 });
      expect((await ok(p.socket, "channel:chat", { text: "darn" })).text).toBe("darn");
    } finally {
      closeServerSockets();
      await plain.close();
    }
  });
});
