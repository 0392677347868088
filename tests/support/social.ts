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
export async function socialPlayer(
  server: Pick<TestServer, "url" | "register">,
  name: string,
  announce = true,
): Promise<SocialPlayer> {
  const login = await server.register(name);
  const socket = await connect(server.url, login.token, "/");
  if (announce) await ok(socket, "presence:announce");
  return { login, id: login.user.id, name: login.user.name, token: login.token, socket };
}

export async function befriend(a: SocialPlayer, b: SocialPlayer): Promise<void> {
  await ok(a.socket, "friends:request", { username: b.name });
  await ok(b.socket, "friends:accept", { userId: a.id });
}

/**
 * The six-player graph, nobody announced yet: A and B are mutual friends; A asked C; D asked A;
 * E and A were friends until E blocked A; F is a stranger; G is A's friend who appears offline.
 */
export async function socialGraph(server: TestServer, name: (prefix: string) => string) {
  const [a, b, c, d, e, f, g] = await Promise.all(
    ["a", "b", "c", "d", "e", "f", "g"].map((p) => socialPlayer(server, name(p), false)),
  );
  await befriend(a!, b!);
  await ok(a!.socket, "friends:request", { username: c!.name });
  await ok(d!.socket, "friends:request", { username: a!.name });
  await befriend(a!, e!);
  await ok(e!.socket, "friends:block", { userId: a!.id });
  await befriend(g!, a!);
  await ok(g!.socket, "presence:appear_offline", { appearOffline: true });
  return { a: a!, b: b!, c: c!, d: d!, e: e!, f: f!, g: g! };
}
