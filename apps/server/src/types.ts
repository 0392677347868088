import type {
  ClientToServerEvents,
  InterServerEvents,
  ServerToClientEvents,
  SocketData,
} from "@rally/protocol";
import type { Namespace, Server, Socket } from "socket.io";
import type { Authenticated } from "./auth/sessions.js";

export type IoServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type IoNamespace = Namespace<
  ClientToServerEvents,
  ServerToClientEvents,
  InterServerEvents,
  SocketData
>;
export type IoSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

declare module "fastify" {
  interface FastifyInstance {
    io: IoServer;
    /** Entries held per player or room in memory, by collection (see AppContext.trackSize). */
    stateSizes(): Record<string, number>;
  }
  interface FastifyRequest {
    auth?: Authenticated;
  }
}

/** Rooms every socket joins on connect, in whatever namespace it is. */
export const personalRoom = (userId: string) => `user:${userId}`;
/** Inside a game-server namespace: one room per channel and per waiting room. */
export const channelRoom = (channel: number) => `channel:${channel}`;
export const waitingRoom = (roomId: string) => `room:${roomId}`;
/** The game server a `/servers/<slug>` socket is on, read from it rather than kept per socket. */
export const slugOf = (socket: { nsp: { name: string } }) => socket.nsp.name.slice("/servers/".length);
