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
  private readonly sockets = new Map<string, Set<string>>();
  private readonly announced = new Set<string>();
  private readonly locations = new Map<string, Location>();

  async connect(userId: string, socketId: string) {
    const set = this.sockets.get(userId) ?? new Set();
    const first = set.size === 0;
    set.add(socketId);
    this.sockets.set(userId, set);
    return first;
  }

  async disconnect(userId: string, socketId: string) {
    const set = this.sockets.get(userId);
    if (!set?.delete(socketId)) return false;
    if (set.size > 0) return false;
    this.sockets.delete(userId);
    return true;
  }

  async connectionCount(userId: string) {
    return this.sockets.get(userId)?.size ?? 0;
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
