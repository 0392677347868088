import type { SocketInfo } from "../cluster/registry.js";
import type { IoSocket } from "../types.js";

/**
 * A socket as the registry knows it, read from the socket when needed instead of kept beside it:
 * its id, namespace and user never change while it is open (the session guard re-reads the name,
 * but no path renames a player).
 */
export const infoOf = (socket: IoSocket): SocketInfo => ({
  id: socket.id,
  nsp: socket.nsp.name,
  userId: socket.data.userId,
  username: socket.data.username,
});

const DONE = Promise.resolve();

/**
 * The connect-time work of each socket (its registration) while it is under way, so that its
 * disconnect, and a request that needs it done, wait for it. Work that succeeded is forgotten:
 * a connected socket then holds nothing here. Work that failed stays until the socket is gone,
 * so whatever waits for it fails too (nothing was registered, so nothing must be removed).
 */
export class ConnectWork {
  private readonly pending = new WeakMap<IoSocket, Promise<void>>();

  track(socket: IoSocket, work: Promise<void>): Promise<void> {
    this.pending.set(socket, work);
    work.then(
      () => {
        if (this.pending.get(socket) === work) this.pending.delete(socket);
      },
      () => {},
    );
    return work;
  }

  /** Settles as the socket's connect-time work did (at once when it is long done). */
  done(socket: IoSocket): Promise<void> {
    return this.pending.get(socket) ?? DONE;
  }
}
