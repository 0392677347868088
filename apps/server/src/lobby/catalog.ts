import { type Db, isUniqueViolation } from "../db.js";

export interface GameServerRecord {
  slug: string;
  name: string;
  region: string;
  channelCount: number;
  channelCapacity: number;
  maxPopulation: number;
  status: "open" | "closed";
  maintenanceUntil: Date | null;
}

export const DEFAULT_SERVERS: Omit<GameServerRecord, "status" | "maintenanceUntil">[] = [
  { slug: "eu-1", name: "Europe 1", region: "eu", channelCount: 4, channelCapacity: 50, maxPopulation: 200 },
  {
    slug: "na-1",
    name: "North America 1",
    region: "na",
    channelCount: 4,
    channelCapacity: 50,
    maxPopulation: 200,
  },
  {
    slug: "asia-1",
    name: "Asia 1",
    region: "asia",
    channelCount: 3,
    channelCapacity: 50,
    maxPopulation: 150,
  },
];

/**
 * How long the catalog is served from memory. Every connect and channel join reads it; a change
 * made here is seen at once, a change made on another node within this window.
 */
export const CATALOG_CACHE_MS = 1_000;

/** The game-server catalog, kept in the database so every node sees the same servers. */
export class GameServerCatalog {
  private cached: { until: number; servers: Promise<GameServerRecord[]> } | null = null;

  /** `changed` runs after every change made here (the lobby tells the other nodes). */
  constructor(
    private readonly db: Db,
    private readonly changed: (slug: string) => void = () => {},
  ) {}

  /** Forgets the cached catalog (after a change here, or when another node reports one). */
  invalidate(): void {
    this.cached = null;
  }

  private load(): Promise<GameServerRecord[]> {
    if (this.cached && this.cached.until > Date.now()) return this.cached.servers;
    const servers = this.db.gameServer.findMany({ orderBy: { createdAt: "asc" } }) as Promise<
      GameServerRecord[]
    >;
    const entry = { until: Date.now() + CATALOG_CACHE_MS, servers };
    this.cached = entry;
    servers.catch(() => {
      if (this.cached === entry) this.cached = null;
    });
    return servers;
  }

  async seedDefaults(): Promise<void> {
    if ((await this.db.gameServer.count()) > 0) return;
    for (const server of DEFAULT_SERVERS) {
      // Nodes starting together all seed: the one that loses the insert race finds the row there.
      await this.db.gameServer
        .upsert({ where: { slug: server.slug }, create: server, update: {} })
        .catch((error) => {
          if (!isUniqueViolation(error)) throw error;
        });
    }
  }

  /** Copies, so that no caller can change the cached records. */
  async list(): Promise<GameServerRecord[]> {
    return (await this.load()).map((server) => ({ ...server }));
  }

  async get(slug: string): Promise<GameServerRecord | null> {
    const server = (await this.load()).find((s) => s.slug === slug);
    return server ? { ...server } : null;
  }

  /** null when the slug is taken. */
  async create(
    input: Omit<GameServerRecord, "status" | "maintenanceUntil">,
  ): Promise<GameServerRecord | null> {
    if (await this.get(input.slug)) return null;
    try {
      return (await this.db.gameServer.create({ data: input })) as GameServerRecord;
    } catch (error) {
      // Created on another node since this one last read the catalog.
      if (isUniqueViolation(error)) return null;
      throw error;
    } finally {
      this.invalidate();
      this.changed(input.slug);
    }
  }

  async update(
    slug: string,
    data: Partial<Pick<GameServerRecord, "name" | "region" | "status" | "maintenanceUntil">>,
  ): Promise<GameServerRecord | null> {
    const changes = Object.fromEntries(Object.entries(data).filter(([, value]) => value !== undefined));
    if (Object.keys(changes).length > 0)
      await this.db.gameServer.updateMany({ where: { slug }, data: changes });
    this.invalidate();
    this.changed(slug);
    return this.get(slug);
  }
}
