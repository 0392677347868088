import { ErrorCode } from "@rally/protocol";
import { AppError } from "../realtime/app-error.js";
import type { HandlerTable } from "../realtime/handle.js";
import { channelRoom, slugOf } from "../types.js";
import { historyFor, postChat } from "./chat.js";
import type { LobbyHub } from "./hub.js";
import { roomSummary } from "./store.js";

export const channelChatKey = (server: string, channel: number) => `${server}|channel|${channel}`;

/**
 * Channel events of every game server, built once and shared by all their sockets: the server is
 * the sending socket's namespace.
 */
export function channelHandlers(hub: LobbyHub): HandlerTable {
  return {
    "channel:join": async ({ channel }, { socket, userId, username }) => {
      const slug = slugOf(socket);
      const server = await hub.catalog.get(slug);
      if (!server) throw new AppError(ErrorCode.unknown_server, "This server no longer exists");
      if (channel > server.channelCount) {
        throw new AppError(
          ErrorCode.channel_not_found,
          `This server has channels 1 to ${server.channelCount}`,
        );
      }
      const { previous } = await hub.store.joinChannel(slug, channel, server.channelCapacity, {
        id: userId,
        name: username,
      });
      hub.moveSockets(
        slug,
        userId,
        previous !== null && previous !== channel ? [channelRoom(previous)] : [],
        [channelRoom(channel)],
      );
      await hub.announceChannels(slug, previous === channel ? null : previous, channel);
      hub.ctx.bus.emit("channel.joined", { socket, server: slug, channel });
      await hub.publishLocation(slug, userId);
      return {
        channel,
        members: await hub.store.channelMembers(slug, channel),
        history: await historyFor(hub, channelChatKey(slug, channel), userId),
      };
    },

    "channel:leave": async (_payload, { socket, userId }) => {
      const slug = slugOf(socket);
      const previous = await hub.store.leaveChannel(slug, userId);
      if (previous === null) throw new AppError(ErrorCode.not_in_channel, "You are not in a channel");
      hub.moveSockets(slug, userId, [channelRoom(previous)], []);
      await hub.announceChannels(slug, previous);
      await hub.publishLocation(slug, userId);
    },

    "channel:chat": async ({ text }, ctx) => {
      const { socket } = ctx;
      const slug = slugOf(socket);
      const channel = await hub.store.channelOf(slug, ctx.userId);
      if (channel === null) throw new AppError(ErrorCode.not_in_channel, "Join a channel first");
      const { message, except } = await postChat(hub, channelChatKey(slug, channel), text, ctx);
      // A client-led broadcast: the sender has the message in its reply and is left out, and so
      // is every player who ignores the sender.
      socket
        .to(channelRoom(channel))
        .except(except)
        .emit("channel:message_posted", { ...message, channel });
      return message;
    },

    "rooms:list": async (_payload, { socket }) =>
      (await hub.store.listRooms(slugOf(socket))).map(roomSummary),
  };
}
