import type { Socket } from "socket.io-client";
import type { Net } from "./client.js";

/** The social namespace's pushes: friends coming and going, requests, the server list. */
export function listenForSocial(net: Net, socket: Socket): void {
  socket.on("servers:updated", (servers) => net.set("servers", servers));
  socket.on("friend:online", ({ user, location }) => {
    net.toast(`${user.name} is online`, "good");
    net.bus.emit("cue", "friend");
    net.upsertFriend({ ...user, status: "online", location });
  });
  socket.on("friend:offline", ({ user }) => net.upsertFriend({ ...user, status: "offline", location: null }));
  socket.on("friend:moved", ({ user, location }) =>
    net.upsertFriend({ ...user, status: "online", location }),
  );
  socket.on("friend:requested", (request) => {
    net.toast(`${request.user.name} wants to be your friend`);
    net.bus.emit("cue", "friend");
    net.set("incoming", [...net.state.incoming.filter((r) => r.user.id !== request.user.id), request]);
  });
  socket.on("friend:accepted", (friend) => {
    net.toast(`${friend.name} accepted your friend request`, "good");
    void net.refreshFriends().catch(() => {});
  });
  for (const event of ["friend:removed", "friend:request_cancelled", "friend:request_declined"] as const) {
    socket.on(event, () => void net.refreshFriends().catch(() => {}));
  }
}
