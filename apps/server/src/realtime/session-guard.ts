import { Namespaces } from "@rally/protocol";
import type { AccountStore } from "../auth/store.js";
import type { IoServer, IoSocket } from "../types.js";

interface Logger {
  error(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

/**
 * Rights are checked at the handshake, but they can end while the socket stays open: the token
 * expires, the session is revoked on another node, an admin is demoted (by the CLI, in another
 * process). Every `intervalMs` this re-reads the sessions of this node's sockets in one query and
 * cuts the namespace sockets whose session is no longer good, cuts `/admin` sockets whose user is
 * no longer an admin, and refreshes name and role everywhere else. `recheck(userId)` does the
 * same at once for one user, for changes made in this process.
 */
export class SessionGuard {
  private timer: NodeJS.Timeout | null = null;
  private pruneTimer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly io: IoServer,
    private readonly accounts: AccountStore,
    private readonly log: Logger,
  ) {}

  start(intervalMs: number, pruneIntervalMs: number): void {
    this.timer = setInterval(() => void this.sweep(), intervalMs);
    this.timer.unref();
    const prune = () =>
      void this.accounts
        .pruneSessions()
        .then((count) => count > 0 && this.log.info({ count }, "pruned expired and revoked sessions"))
        .catch((err) => this.log.error({ err }, "session prune"));
    prune();
    this.pruneTimer = setInterval(prune, pruneIntervalMs);
    this.pruneTimer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    this.timer = this.pruneTimer = null;
  }

  /** This node's signed-in sockets, in every namespace, that `keep` accepts. */
  private sockets(keep: (socket: IoSocket) => boolean = () => true): IoSocket[] {
    const found: IoSocket[] = [];
    for (const nsp of this.io._nsps.values()) {
      for (const socket of nsp.sockets.values())
        if (socket.data.sessionId && keep(socket)) found.push(socket);
    }
    return found;
  }

  /**
   * Closes this node's sockets of a logged-out session, each in its namespace only: a Manager
   * shared with sockets on another token keeps working (the client closes a connection left
   * empty). A scan rather than a Socket.IO room per session: logouts are rare, and a room per
   * socket cost every player memory.
   */
  disconnectSession(sessionId: string): void {
    for (const socket of this.sockets((s) => s.data.sessionId === sessionId)) socket.disconnect();
  }

  /** Re-checks every local socket; overlapping calls share one run. */
  sweep(): Promise<void> {
    this.running ??= this.check(this.sockets())
      .catch((err) => this.log.error({ err }, "session sweep"))
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  recheck(userId: string): Promise<void> {
    return this.check(this.sockets((socket) => socket.data.userId === userId));
  }

  private async check(sockets: IoSocket[]): Promise<void> {
    if (sockets.length === 0) return;
    const live = await this.accounts.liveSessions([...new Set(sockets.map((s) => s.data.sessionId))]);
    for (const socket of sockets) {
      const session = live.get(socket.data.sessionId);
      if (!session || (socket.nsp.name === Namespaces.admin && session.role !== "admin")) {
        // Only this namespace: a Manager shared with other namespaces keeps its connection.
        socket.disconnect();
        continue;
      }
      socket.data.role = session.role;
      socket.data.username = session.username;
    }
  }
}
