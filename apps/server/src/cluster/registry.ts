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

/**
 * One process: every socket is local and nothing is ever lost. A player's socket ids are a short
 * array (almost always one id): a Set per player and namespace cost several times the memory.
 */
export class MemoryRegistry implements SocketRegistry {
  private readonly byNsp = new Map<string, Map<string, string[]>>();

  async add(socket: SocketInfo) {
    const users = this.byNsp.get(socket.nsp) ?? new Map<string, string[]>();
    this.byNsp.set(socket.nsp, users);
    const ids = users.get(socket.userId);
    if (!ids) users.set(socket.userId, [socket.id]);
    else if (!ids.includes(socket.id)) ids.push(socket.id);
  }

  async remove(socket: SocketInfo) {
    const users = this.byNsp.get(socket.nsp);
    const ids = users?.get(socket.userId);
    if (!ids) return 0;
    const at = ids.indexOf(socket.id);
    if (at >= 0) ids.splice(at, 1);
    if (ids.length === 0) users!.delete(socket.userId);
    return ids.length;
  }

  async count(nsp: string, userId: string) {
    return this.byNsp.get(nsp)?.get(userId)?.length ?? 0;
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
