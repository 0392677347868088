import { beforeEach, describe, expect, it } from "vitest";
import type { LobbyStore, NewRoom } from "../../apps/server/src/lobby/store.js";

/** Every LobbyStore implementation (memory today, Redis or PostgreSQL next) must pass this suite. */
export function describeLobbyStoreContract(
  name: string,
  makeStore: () => Promise<LobbyStore> | LobbyStore,
): void {
  describe(`LobbyStore contract: ${name}`, () => {
    let store: LobbyStore;
    const user = (n: number) => ({ id: `u${n}`, name: `User${n}` });
    const room = (overrides: Partial<NewRoom> = {}): NewRoom => ({
      server: "s1",
      title: "Room",
      mode: "custom",
      visibility: "public",
      passwordHash: null,
      maxPlayers: 4,
      ...overrides,
    });
    const code = (promise: Promise<unknown>) =>
      promise.then(
        () => "ok",
        (error: { code?: string }) => error.code,
      );

    beforeEach(async () => {
      store = await makeStore();
    });

    it("seats at most `capacity` in a channel and one channel per user per server", async () => {
      expect(await store.joinChannel("s1", 1, 2, user(1))).toEqual({ previous: null });
      await store.joinChannel("s1", 1, 2, user(2));
      expect(await code(store.joinChannel("s1", 1, 2, user(3)))).toBe("channel_full");
      expect(await store.joinChannel("s1", 2, 2, user(1))).toEqual({ previous: 1 });
      expect((await store.channelMembers("s1", 1)).map((u) => u.id)).toEqual(["u2"]);
      expect(await store.channelOf("s1", "u1")).toBe(2);
      expect(await store.channelOf("s2", "u1")).toBeNull();
      expect(Object.fromEntries(await store.channelPopulations("s1"))).toEqual({ 1: 1, 2: 1 });
      expect(await store.leaveChannel("s1", "u1")).toBe(2);
      expect(await store.leaveChannel("s1", "u1")).toBeNull();
    });

    it("never exceeds capacity under concurrent joins", async () => {
      const created = await store.createRoom(room({ maxPlayers: 4 }), user(0));
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          code(store.joinRoom(created.id, user(i + 1), { kind: "public" })),
        ),
      );
      expect(results.filter((r) => r === "ok")).toHaveLength(3);
      expect(results.filter((r) => r === "room_full")).toHaveLength(17);
      expect((await store.getRoom(created.id))?.members).toHaveLength(4);
    });

    it("applies each join gate", async () => {
      const priv = await store.createRoom(room({ visibility: "private", passwordHash: "h" }), user(1));
      expect(await code(store.joinRoom(priv.id, user(2), { kind: "public" }))).toBe("wrong_password");
      expect(await code(store.joinRoom(priv.id, user(2), { kind: "password", passwordOk: false }))).toBe(
        "wrong_password",
      );
      expect(await code(store.joinRoom(priv.id, user(2), { kind: "password", passwordOk: true }))).toBe("ok");
      const invite = await store.createRoom(room({ visibility: "invite_only" }), user(3));
      expect(await code(store.joinRoom(invite.id, user(4), { kind: "public" }))).toBe("invite_only");
      expect(await code(store.joinRoom(invite.id, user(4), { kind: "invite" }))).toBe("ok");
      expect(await code(store.joinRoom(invite.id, user(2), { kind: "invite" }))).toBe("already_in_room");
      expect(await code(store.joinRoom("missing", user(5), { kind: "public" }))).toBe("room_not_found");
    });

    it("migrates the host in order of arrival and removes an empty room", async () => {
      const created = await store.createRoom(room(), user(1));
      await store.joinRoom(created.id, user(2), { kind: "public" });
      await store.joinRoom(created.id, user(3), { kind: "public" });
      const left = await store.leaveRoom("u1");
      expect(left.newHost).toEqual(user(2));
      expect(left.room?.hostId).toBe("u2");
      await store.leaveRoom("u2");
      const last = await store.leaveRoom("u3");
      expect(last).toEqual({ room: null, removed: true, newHost: null });
      expect(await store.getRoom(created.id)).toBeNull();
      expect(await code(store.leaveRoom("u3"))).toBe("not_in_room");
    });

    it("kicks for good, and only the host may", async () => {
      const created = await store.createRoom(room(), user(1));
      await store.joinRoom(created.id, user(2), { kind: "public" });
      expect(await code(store.kick(created.id, "u2", "u1"))).toBe("not_host");
      await store.kick(created.id, "u1", "u2");
      expect(await code(store.joinRoom(created.id, user(2), { kind: "public" }))).toBe("kicked_from_room");
      expect(await code(store.joinRoom(created.id, user(2), { kind: "invite" }))).toBe("kicked_from_room");
    });

    it("starts when ready, refuses joins in game, and resets on end", async () => {
      const created = await store.createRoom(room(), user(1));
      expect(await code(store.startGame("u1"))).toBe("not_enough_players");
      await store.joinRoom(created.id, user(2), { kind: "public" });
      expect(await code(store.startGame("u1"))).toBe("players_not_ready");
      await store.setReady("u2", true);
      expect(await code(store.startGame("u2"))).toBe("not_host");
      expect((await store.startGame("u1")).state).toBe("in_game");
      expect(await code(store.joinRoom(created.id, user(3), { kind: "public" }))).toBe("room_in_game");
      const ended = await store.endGame("u1");
      expect(ended.state).toBe("waiting");
      expect(ended.members.every((m) => !m.ready)).toBe(true);
      expect(await code(store.endGame("u1"))).toBe("not_in_game");
    });

    it("keeps settings consistent", async () => {
      const created = await store.createRoom(room(), user(1));
      await store.joinRoom(created.id, user(2), { kind: "public" });
      expect(await code(store.updateRoom(created.id, "u1", { maxPlayers: 1 }))).toBe("max_below_count");
      expect(await code(store.updateRoom(created.id, "u1", { visibility: "private" }))).toBe(
        "invalid_payload",
      );
      const updated = await store.updateRoom(created.id, "u1", {
        visibility: "private",
        passwordHash: "h",
        title: "T",
      });
      expect(updated).toMatchObject({ visibility: "private", passwordHash: "h", title: "T" });
      const opened = await store.updateRoom(created.id, "u1", { visibility: "public" });
      expect(opened.passwordHash).toBeNull();
    });

    it("marks reconnecting seats and clears a closed server", async () => {
      const created = await store.createRoom(room(), user(1));
      expect((await store.setReconnecting("u1", true))?.members[0]?.reconnecting).toBe(true);
      expect(await store.setReconnecting("nobody", true)).toBeNull();
      await store.joinChannel("s1", 1, 10, user(1));
      expect(await store.clearServer("s1")).toEqual([created.id]);
      expect(await store.roomOf("u1")).toBeNull();
      expect(await store.channelOf("s1", "u1")).toBeNull();
    });

    it("keeps the last N chat messages and counts rate hits per window", async () => {
      for (let i = 0; i < 5; i++) {
        await store.appendChat(
          "k",
          { id: `${i}`, from: user(1), text: `m${i}`, at: new Date().toISOString() },
          3,
        );
      }
      expect((await store.chatHistory("k")).map((m) => m.text)).toEqual(["m2", "m3", "m4"]);
      expect(await store.chatHistory("empty")).toEqual([]);
      const hits = [];
      for (let i = 0; i < 3; i++) hits.push(await store.hitRate("r", 2, 1_000, 10_000 + i));
      expect(hits).toEqual([true, true, false]);
      expect(await store.hitRate("r", 2, 1_000, 11_500)).toBe(true);
      await store.deleteChat("k");
      expect(await store.chatHistory("k")).toEqual([]);
    });

    it("rate hits are a token bucket: one a second, give or take, is never refused after a burst", async () => {
      // 5 per 5 s: a burst of five, then one a second. A sliding window refuses the sixth message
      // of this sequence (six inside 5 s); a token bucket has refilled enough by then.
      const times = [0, 1_100, 2_000, 3_000, 4_000, 4_900];
      for (let i = 1; i <= 30; i++) times.push(4_900 + i * 1_000 + (i % 2 ? 150 : -150));
      const refused = [];
      for (const t of times) if (!(await store.hitRate("chat", 5, 5_000, 50_000 + t))) refused.push(t);
      expect(refused).toEqual([]);
      const burst = [];
      for (let i = 0; i < 7; i++) burst.push(await store.hitRate("burst", 5, 5_000, 200_000 + i));
      expect(burst).toEqual([true, true, true, true, true, false, false]);
      expect(await store.hitRate("burst", 5, 5_000, 201_010)).toBe(true);
      expect(await store.hitRate("burst", 5, 5_000, 201_020)).toBe(false);
    });
  });
}
