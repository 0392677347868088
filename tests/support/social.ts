import type { LoginReply } from "@rally/protocol";
import type { Socket } from "socket.io-client";
import { connect, ok } from "./client.js";
import type { TestServer } from "./server.js";

export interface SocialPlayer {
  login: LoginReply;
  id: string;
  name: string;
  token: string;
  socket: Socket;
}

/** Registers, connects to `/` and (unless told not to) announces, as the client does after login. */
export async function socialPlayer(server: TestServer, name: string, announce = true): Promise<SocialPlayer> {
  const login = await server.register(name);
  const socket = await connect(server.url, login.token, "/");
  if (announce) await ok(socket, "presence:announce");
  return { login, id: login.user.id, name: login.user.name, token: login.token, socket };
}

export async function befriend(a: SocialPlayer, b: SocialPlayer): Promise<void> {
  await ok(a.socket, "friends:request", { username: b.name });
  await ok(b.socket, "friends:accept", { userId: a.id });
}
