import type { AppContext } from "../context.js";
import type { PresenceService } from "../presence/service.js";
import { handlers } from "../realtime/handle.js";
import { personalRoom } from "../types.js";
import type { FriendStore } from "./store.js";

/** Friend requests and the friend list on `/`. The other party hears of changes live. */
export function registerFriends(ctx: AppContext, friends: FriendStore, presence: PresenceService): void {
  const social = ctx.io.of("/");
  const toUser = (userId: string) => social.to(personalRoom(userId));

  const me = (who: { userId: string; username: string }) => ({ id: who.userId, name: who.username });
  // Built once: every socket shares these listeners.
  const attach = handlers(
    {
      "friends:list": async (_payload, { userId }) => {
        const lists = await friends.lists(userId);
        return { ...lists, friends: await Promise.all(lists.friends.map((f) => presence.view(f))) };
      },

      "friends:request": async ({ username }, who) => {
        const { userId } = who;
        const { outcome, target } = await friends.request(userId, username);
        if (outcome === "accepted") presence.forgetFriends(userId, target.id);
        if (outcome === "accepted") {
          toUser(target.id).emit("friend:accepted", await presence.view(me(who)));
        } else {
          toUser(target.id).emit("friend:requested", { user: me(who), createdAt: new Date().toISOString() });
        }
        return { outcome };
      },

      "friends:accept": async ({ userId: fromId }, who) => {
        const { userId } = who;
        await friends.accept(userId, fromId);
        presence.forgetFriends(userId, fromId);
        toUser(fromId).emit("friend:accepted", await presence.view(me(who)));
        const requester = await ctx.db.user.findUnique({ where: { id: fromId } });
        return presence.view({ id: fromId, name: requester?.username ?? "" });
      },

      "friends:decline": async ({ userId: fromId }, who) => {
        const { userId } = who;
        await friends.decline(userId, fromId);
        toUser(fromId).emit("friend:request_declined", { user: me(who) });
      },

      "friends:cancel": async ({ userId: toId }, who) => {
        const { userId } = who;
        await friends.cancel(userId, toId);
        toUser(toId).emit("friend:request_cancelled", { user: me(who) });
      },

      "friends:remove": async ({ userId: friendId }, who) => {
        const { userId } = who;
        await friends.remove(userId, friendId);
        presence.forgetFriends(userId, friendId);
        toUser(friendId).emit("friend:removed", { user: me(who) });
      },

      "friends:block": async ({ userId: targetId }, who) => {
        const { userId } = who;
        const { wereFriends } = await friends.block(userId, targetId);
        presence.forgetFriends(userId, targetId);
        // To the blocked player a block looks like a removal: it must not reveal the block.
        if (wereFriends) toUser(targetId).emit("friend:removed", { user: me(who) });
      },

      "friends:unblock": async ({ userId: targetId }, { userId }) => {
        await friends.unblock(userId, targetId);
      },
    },
    ctx.log,
  );
  social.on("connection", attach);
}
