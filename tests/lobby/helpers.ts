import type { LoginReply } from "@rally/protocol";
import type { Socket } from "socket.io-client";
import { afterAll, afterEach, beforeAll } from "vitest";
import { closeAll, connect, waitFor } from "../support/client.js";
import { startServer, type TestServer } from "../support/server.js";

export interface Player {
  login: LoginReply;
  id: string;
  name: string;
  socket: Socket;
  welcome: any;
  snapshot: any[];
}

let counter = 0;
export function uniqueName(prefix = "p"): string {
  counter++;
  return `${prefix}${counter}_${Math.random().toString(36).slice(2, 7)}`.slice(0, 20);
}

/** Connects to a game server namespace and waits for its welcome and room snapshot. */
export async function joinServer(
  server: Pick<TestServer, "url">,
  login: LoginReply,
  slug = "eu-1",
): Promise<Player> {
  const socket = await connectServer(server, login.token, slug);
  const [welcome, snapshot] = await socket.ready;
  return { login, id: login.user.id, name: login.user.name, socket: socket.socket, welcome, snapshot };
}

export async function connectServer(server: Pick<TestServer, "url">, token: string, slug = "eu-1") {
  // Listeners go on before the connection completes so the welcome cannot be missed.
  const { io } = await import("socket.io-client");
  const socket = io(`${server.url}/servers/${slug}`, {
    auth: { token },
    transports: ["websocket"],
    reconnection: false,
    forceNew: true,
  });
  const ready = Promise.all([
    waitFor(socket, "server:welcome", 5_000),
    waitFor(socket, "rooms:snapshot", 5_000),
  ]);
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", reject);
  });
  trackSocket(socket);
  return { socket, ready };
}

const sockets = new Set<Socket>();
function trackSocket(socket: Socket) {
  sockets.add(socket);
}
export function closeServerSockets() {
  for (const socket of sockets) socket.close();
  sockets.clear();
}

export async function newPlayer(server: TestServer, slug = "eu-1", prefix = "p"): Promise<Player> {
  return joinServer(server, await server.register(uniqueName(prefix)), slug);
}

/**
 * One server for the whole test file, with every client closed after each test. The returned
 * value stands for the server once `beforeAll` has started it (use it inside tests and hooks).
 */
export function useLobbyServer(): TestServer {
  let server: TestServer | null = null;
  beforeAll(async () => {
    server = await startServer();
  });
  afterEach(() => {
    closeServerSockets();
    closeAll();
  });
  afterAll(() => server?.close());
  return new Proxy({} as TestServer, {
    get(_target, key) {
      if (!server) throw new Error("the lobby test server is not started yet");
      const value = Reflect.get(server, key);
      return typeof value === "function" ? value.bind(server) : value;
    },
  });
}

export { connect };
