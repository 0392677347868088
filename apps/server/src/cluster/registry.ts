/** A connected socket as the registry knows it: enough to replay its disconnect on another node. */
export interface SocketInfo {
  id: string;
  nsp: string;
  userId: string;
  username: string;
}

/**
 * Which users have sockets open in which namespace, across every node. It answers "is this player
 * still connected here?" and "how many players are on this server?" with one cheap lookup instead of
 * asking every node (fetchSockets waits for every node and fails while a dead node still counts).
 */
export interface SocketRegistry {
  add(socket: SocketInfo): Promise<void>;
  /** Forgets the socket; returns how many connections the user still has in that namespace. */
  remove(socket: SocketInfo): Promise<number>;
  count(nsp: string, userId: string): Promise<number>;
  /** Distinct users with at least one socket in the namespace, on any node. */
  users(nsp: string): Promise<string[]>;
  /** How many distinct users `users` would list, without listing them (a connect asks for it). */
  userCount(nsp: string): Promise<number>;
  /** Runs once in the cluster for each socket of a node that stopped without closing it. */
  onLost(handler: (socket: SocketInfo) => Promise<void>): void;
  close(): Promise<void>;
}

/** One process: every socket is local and nothing is ever lost. */
export class MemoryRegistry implements SocketRegistry {
  private readonly byNsp = new Map<string, Map<string, Set<string>>>();

  async add(socket: SocketInfo) {
    const users = this.byNsp.get(socket.nsp) ?? new Map<string, Set<string>>();
    this.byNsp.set(socket.nsp, users);
    const ids = users.get(socket.userId) ?? new Set<string>();
    users.set(socket.userId, ids);
    ids.add(socket.id);
  }

  async remove(socket: SocketInfo) {
    const users = this.byNsp.get(socket.nsp);
    const ids = users?.get(socket.userId);
    ids?.delete(socket.id);
    if (ids?.size === 0) users!.delete(socket.userId);
    return ids?.size ?? 0;
  }

  async count(nsp: string, userId: string) {
    return this.byNsp.get(nsp)?.get(userId)?.size ?? 0;
  }

  async users(nsp: string) {
    return [...(this.byNsp.get(nsp)?.keys() ?? [])];
  }

  async userCount(nsp: string) {
    return this.byNsp.get(nsp)?.size ?? 0;
  }

  onLost(): void {}

  async close() {}
}
