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

/** The game-server catalog, kept in the database so every node sees the same servers. */
export class GameServerCatalog {
  constructor(private readonly db: Db) {}

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

  async list(): Promise<GameServerRecord[]> {
    return (await this.db.gameServer.findMany({ orderBy: { createdAt: "asc" } })) as GameServerRecord[];
  }

  async get(slug: string): Promise<GameServerRecord | null> {
    return (await this.db.gameServer.findUnique({ where: { slug } })) as GameServerRecord | null;
  }

  /** null when the slug is taken. */
  async create(
    input: Omit<GameServerRecord, "status" | "maintenanceUntil">,
  ): Promise<GameServerRecord | null> {
    if (await this.get(input.slug)) return null;
    return (await this.db.gameServer.create({ data: input })) as GameServerRecord;
  }

  async update(
    slug: string,
    data: Partial<Pick<GameServerRecord, "name" | "region" | "status" | "maintenanceUntil">>,
  ): Promise<GameServerRecord | null> {
    const changes = Object.fromEntries(Object.entries(data).filter(([, value]) => value !== undefined));
    if (Object.keys(changes).length > 0)
      await this.db.gameServer.updateMany({ where: { slug }, data: changes });
    return this.get(slug);
  }
}
