import type { Ack } from "@rally/protocol";
import { io, type Socket } from "socket.io-client";

export type ClientSocket = Socket;
const open = new Set<Socket>();

/** Connects a real socket.io-client and waits until the server accepted it. */
export function connect(
  url: string,
  token: string | undefined,
  namespace = "/",
  options: Record<string, unknown> = {},
): Promise<Socket> {
  const socket = io(url + namespace, {
    auth: token === undefined ? {} : { token },
    transports: ["websocket"],
    reconnection: false,
    forceNew: true,
    ...options,
  });
  open.add(socket);
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", (error) => {
      socket.close();
      reject(error);
    });
  });
}

/** Resolves with the connect_error a refused connection gets. */
export function connectError(
  url: string,
  token: string | undefined,
  namespace = "/",
  options: Record<string, unknown> = {},
): Promise<Error & { data?: { code: string; message: string } }> {
  return connect(url, token, namespace, options).then(
    (socket) => {
      socket.close();
      throw new Error("connected, but a refusal was expected");
    },
    (error) => error,
  );
}

export function closeAll(): void {
  for (const socket of open) socket.close();
  open.clear();
}

/** Emits a request and waits for its reply; rejects if no reply comes within `ms`. */
export function request<T = unknown>(
  socket: Socket,
  event: string,
  payload?: unknown,
  ms = 5_000,
): Promise<Ack<T>> {
  return socket.timeout(ms).emitWithAck(event, payload) as Promise<Ack<T>>;
}

/** Like request, but fails the test on a refusal and returns the data. */
export async function ok<T = any>(socket: Socket, event: string, payload?: unknown): Promise<T> {
  const reply = await request<T>(socket, event, payload);
  if (!reply.ok) throw new Error(`${event} refused: ${reply.error.code} ${reply.error.message}`);
  return reply.data;
}

/** The next `event` on `socket` (its first argument), or a rejection after `ms`. */
export function waitFor<T = any>(
  socket: Socket,
  event: string,
  ms = 3_000,
  predicate?: (payload: T) => boolean,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, listener);
      reject(new Error(`timed out after ${ms} ms waiting for "${event}"`));
    }, ms);
    const listener = (payload: T) => {
      if (predicate && !predicate(payload)) return;
      clearTimeout(timer);
      socket.off(event, listener);
      resolve(payload);
    };
    socket.on(event, listener);
  });
}

/** Asserts that `event` does not arrive on `socket` within `ms`; resolves with nothing. */
export function expectNothing(
  socket: Socket,
  event: string,
  ms = 400,
  predicate?: (payload: any) => boolean,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const listener = (payload: unknown) => {
      if (predicate && !predicate(payload)) return;
      clearTimeout(timer);
      socket.off(event, listener);
      reject(new Error(`"${event}" arrived but must not have: ${JSON.stringify(payload)}`));
    };
    const timer = setTimeout(() => {
      socket.off(event, listener);
      resolve();
    }, ms);
    socket.on(event, listener);
  });
}

/** Records every event a socket receives, for "received exactly this" checks. */
export function record(socket: Socket): {
  events: { event: string; args: unknown[] }[];
  of(event: string): unknown[];
} {
  const events: { event: string; args: unknown[] }[] = [];
  socket.onAny((event, ...args) => events.push({ event, args }));
  return { events, of: (event) => events.filter((e) => e.event === event).map((e) => e.args[0]) };
}
