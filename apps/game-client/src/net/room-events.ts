import type { RoomSummary, RoomView } from "@rally/protocol";
import type { Socket } from "socket.io-client";
import { COUNTDOWN_MS, type GameServerConnection } from "./game-server.js";

/** A game server's pushes about channels, rooms, games and invites, written into the state. */
export function listenForRooms(conn: GameServerConnection, socket: Socket): void {
  const net = conn.net;
  socket.on("channels:updated", (channels) => net.set("channels", channels));
  socket.on("channel:members_changed", ({ channel, members }) => {
    if (channel === net.state.channel) net.set("channelMembers", members);
  });
  socket.on("channel:message_posted", (message) => conn.addChat("channelChat", message));
  socket.on("rooms:snapshot", (rooms: RoomSummary[]) => net.set("rooms", rooms));
  socket.on("room:created", (room: RoomSummary) =>
    net.set("rooms", [...net.state.rooms.filter((r) => r.id !== room.id), room]),
  );
  socket.on("rooms:updated", ({ rooms }: { rooms: RoomSummary[] }) => {
    const changed = new Map(rooms.map((room) => [room.id, room]));
    net.set(
      "rooms",
      net.state.rooms.map((r) => changed.get(r.id) ?? r),
    );
  });
  socket.on("room:removed", ({ id }) =>
    net.set(
      "rooms",
      net.state.rooms.filter((r) => r.id !== id),
    ),
  );
  socket.on("room:changed", (room: RoomView) => {
    const before = net.state.room;
    const newlyReady = room.members.some(
      (m) => m.ready && m.id !== net.state.me?.id && !before?.members.find((b) => b.id === m.id)?.ready,
    );
    if (newlyReady) net.bus.emit("cue", "ready");
    conn.setRoom(room);
    if (!before && net.state.scene !== "game") net.go("room");
  });
  socket.on("room:kicked", () => {
    net.toast("You were kicked from the room", "bad");
    conn.setRoom(null);
    net.go("lobby");
  });
  socket.on("room:seat_freed", ({ user }) =>
    net.toast(`${user.name} was away too long and lost their seat`, "bad"),
  );
  socket.on("room:message_posted", (message) => conn.addChat("roomChat", message));
  socket.on("game:started", ({ roster }) => {
    conn.positions.clear();
    net.set("roster", roster);
    net.set("gameStartsAt", Date.now() + COUNTDOWN_MS);
    net.bus.emit("cue", "start");
    net.go("game");
  });
  socket.on("game:ended", () => {
    net.set("roster", null);
    net.set("gameStartsAt", null);
    net.go("room");
  });
  socket.on("game:moved", (move: { userId: string; x: number; y: number }) => {
    conn.positions.set(move.userId, { x: move.x, y: move.y });
    net.bus.emit("moved", move);
  });
  socket.on("invite:received", (invite, answer: (reply: { accept: boolean }) => void) => {
    net.set("invite", {
      inviteId: invite.inviteId,
      room: invite.room,
      from: invite.from,
      expiresAt: Date.now() + invite.expiresInMs,
    });
    net.bus.emit("cue", "invite");
    conn.pendingAnswer = (accept: boolean) => {
      answer({ accept });
      net.set("invite", null);
    };
  });
  socket.on("invite:answered", ({ user, outcome }) =>
    net.toast(`${user.name} ${outcome} your invite`, outcome === "accepted" ? "good" : "info"),
  );
  socket.on("invite:failed", ({ code }) => net.toast(conn.inviteFailed(code), "bad"));
}
