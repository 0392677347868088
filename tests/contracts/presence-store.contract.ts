import { beforeEach, describe, expect, it } from "vitest";
import type { PresenceStore } from "../../apps/server/src/presence/store.js";

/** Every PresenceStore implementation (memory today, Redis next) must pass this suite. */
export function describePresenceStoreContract(
  name: string,
  makeStore: () => Promise<PresenceStore> | PresenceStore,
): void {
  describe(`PresenceStore contract: ${name}`, () => {
    let store: PresenceStore;
    beforeEach(async () => {
      store = await makeStore();
    });

    it("tells first and last connections apart, per socket id", async () => {
      expect(await store.connect("u1", "s1")).toBe(true);
      expect(await store.connect("u1", "s2")).toBe(false);
      expect(await store.connect("u1", "s2")).toBe(false);
      expect(await store.connectionCount("u1")).toBe(2);
      expect(await store.disconnect("u1", "s1")).toBe(false);
      expect(await store.disconnect("u1", "unknown")).toBe(false);
      expect(await store.disconnect("u1", "s2")).toBe(true);
      expect(await store.disconnect("u1", "s2")).toBe(false);
      expect(await store.connectionCount("u1")).toBe(0);
    });

    it("announces once until cleared", async () => {
      expect(await store.markAnnounced("u1")).toBe(true);
      expect(await store.markAnnounced("u1")).toBe(false);
      expect(await store.isAnnounced("u1")).toBe(true);
      expect([...(await store.announcedAmong(["u1", "u2"]))]).toEqual(["u1"]);
      expect(await store.clearAnnounced("u1")).toBe(true);
      expect(await store.clearAnnounced("u1")).toBe(false);
      expect(await store.markAnnounced("u1")).toBe(true);
    });

    it("keeps and forgets locations, returning copies", async () => {
      const location = { server: "eu-1", channel: 1, roomId: null, inGame: false };
      await store.setLocation("u1", location);
      const read = await store.location("u1");
      expect(read).toEqual(location);
      read!.channel = 9;
      expect((await store.location("u1"))?.channel).toBe(1);
      await store.setLocation("u1", null);
      expect(await store.location("u1")).toBeNull();
      expect(await store.location("nobody")).toBeNull();
    });
  });
}
