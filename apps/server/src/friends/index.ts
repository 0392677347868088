import type { AppContext } from "../context.js";
import type { PresenceService } from "../presence/service.js";
import { handle } from "../realtime/handle.js";
import { personalRoom } from "../types.js";
import type { FriendStore } from "./store.js";

/** Friend requests and the friend list on `/`. The other party hears of changes live. */
export function registerFriends(ctx: AppContext, friends: FriendStore, presence: PresenceService): void {
  const social = ctx.io.of("/");
  const toUser = (userId: string) => social.to(personalRoom(userId));

  social.on("connection", (socket) => {
    const me = () => ({ id: socket.data.userId, name: socket.data.username });

    handle(
      socket,
      "friends:list",
      async (_payload, { userId }) => {
        const lists = await friends.lists(userId);
        return { ...lists, friends: await Promise.all(lists.friends.map((f) => presence.view(f))) };
      },
      ctx.log,
    );

    handle(
      socket,
      "friends:request",
      async ({ username }, { userId }) => {
        const { outcome, target } = await friends.request(userId, username);
        if (outcome === "accepted") presence.forgetFriends(userId, target.id);
        if (outcome === "accepted") {
          toUser(target.id).emit("friend:accepted", await presence.view(me()));
        } else {
          toUser(target.id).emit("friend:requested", { user: me(), createdAt: new Date().toISOString() });
        }
        return { outcome };
      },
      ctx.log,
    );

    handle(
      socket,
      "friends:accept",
      async ({ userId: fromId }, { userId }) => {
        await friends.accept(userId, fromId);
        presence.forgetFriends(userId, fromId);
        toUser(fromId).emit("friend:accepted", await presence.view(me()));
        const requester = await ctx.db.user.findUnique({ where: { id: fromId } });
        return presence.view({ id: fromId, name: requester?.username ?? "" });
      },
      ctx.log,
    );

    handle(
      socket,
      "friends:decline",
      async ({ userId: fromId }, { userId }) => {
        await friends.decline(userId, fromId);
        toUser(fromId).emit("friend:request_declined", { user: me() });
      },
      ctx.log,
    );

    handle(
      socket,
      "friends:cancel",
      async ({ userId: toId }, { userId }) => {
        await friends.cancel(userId, toId);
        toUser(toId).emit("friend:request_cancelled", { user: me() });
      },
      ctx.log,
    );

    handle(
      socket,
      "friends:remove",
      async ({ userId: friendId }, { userId }) => {
        await friends.remove(userId, friendId);
        presence.forgetFriends(userId, friendId);
        toUser(friendId).emit("friend:removed", { user: me() });
      },
      ctx.log,
    );

    handle(
      socket,
      "friends:block",
      async ({ userId: targetId }, { userId }) => {
        const { wereFriends } = await friends.block(userId, targetId);
        presence.forgetFriends(userId, targetId);
        // To the blocked player a block looks like a removal: it must not reveal the block.
        if (wereFriends) toUser(targetId).emit("friend:removed", { user: me() });
      },
      ctx.log,
    );

    handle(
      socket,
      "friends:unblock",
      async ({ userId: targetId }, { userId }) => {
        await friends.unblock(userId, targetId);
      },
      ctx.log,
    );
  });
}
