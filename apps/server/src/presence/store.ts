import type { Location } from "@rally/protocol";

/**
 * Who is connected and announced, and where they are. Several server processes will share it
 * (Redis next), so it tracks connections by socket id rather than counting in a closure.
 */
export interface PresenceStore {
  /** Records a connection; true when it is the user's first open one. */
  connect(userId: string, socketId: string): Promise<boolean>;
  /** Forgets a connection; true when it was the user's last. */
  disconnect(userId: string, socketId: string): Promise<boolean>;
  connectionCount(userId: string): Promise<number>;
  /** Marks the user announced; true only when they were not already. */
  markAnnounced(userId: string): Promise<boolean>;
  /** Clears the announced flag (the user went offline); true when it was set. */
  clearAnnounced(userId: string): Promise<boolean>;
  isAnnounced(userId: string): Promise<boolean>;
  /** Of these users, the ones who are announced (online). */
  announcedAmong(userIds: string[]): Promise<Set<string>>;
  setLocation(userId: string, location: Location | null): Promise<void>;
  location(userId: string): Promise<Location | null>;
}

export class MemoryPresenceStore implements PresenceStore {
  /** A player's socket ids: a short array (almost always one), far smaller than a Set each. */
  private readonly sockets = new Map<string, string[]>();
  private readonly announced = new Set<string>();
  private readonly locations = new Map<string, Location>();

  async connect(userId: string, socketId: string) {
    const ids = this.sockets.get(userId);
    if (!ids) {
      this.sockets.set(userId, [socketId]);
      return true;
    }
    if (!ids.includes(socketId)) ids.push(socketId);
    return false;
  }

  async disconnect(userId: string, socketId: string) {
    const ids = this.sockets.get(userId);
    const at = ids?.indexOf(socketId) ?? -1;
    if (!ids || at < 0) return false;
    ids.splice(at, 1);
    if (ids.length > 0) return false;
    this.sockets.delete(userId);
    return true;
  }

  async connectionCount(userId: string) {
    return this.sockets.get(userId)?.length ?? 0;
  }

  async markAnnounced(userId: string) {
    if (this.announced.has(userId)) return false;
    this.announced.add(userId);
    return true;
  }

  async clearAnnounced(userId: string) {
    return this.announced.delete(userId);
  }

  async isAnnounced(userId: string) {
    return this.announced.has(userId);
  }

  async announcedAmong(userIds: string[]) {
    return new Set(userIds.filter((id) => this.announced.has(id)));
  }

  async setLocation(userId: string, location: Location | null) {
    if (location) this.locations.set(userId, structuredClone(location));
    else this.locations.delete(userId);
  }

  async location(userId: string) {
    const location = this.locations.get(userId);
    return location ? structuredClone(location) : null;
  }

  /** Entries held per player: all zero once everyone has gone offline. */
  sizes(): Record<string, number> {
    return {
      "presence.connections": this.sockets.size,
      "presence.announced": this.announced.size,
      "presence.locations": this.locations.size,
    };
  }
}

export const NOWHERE: Location = { server: null, channel: null, roomId: null, inGame: false };
