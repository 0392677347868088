import { Namespaces } from "@rally/protocol";
import type { IoNamespace, IoServer } from "../types.js";

/** What Socket.IO's ParentNamespace offers beyond a Namespace (its typings hide both). */
type ParentNamespace = IoNamespace & { createChild(name: string): IoNamespace; children: Set<unknown> };
import type { GameServerCatalog } from "./catalog.js";

/** An unknown slug re-reads the catalog at most this often (other nodes may add servers). */
const REFRESH_MS = 2_000;
/** A closed server's namespace is dropped once its disconnect handlers have run. */
const REMOVE_DELAY_MS = 1_000;

/**
 * The `/servers/<slug>` namespaces. Socket.IO creates a child namespace for every name its parent
 * matcher accepts, and never removes it: with a pattern matcher, any `/servers/<junk>` connect
 * left one behind. Here the matcher accepts only slugs in the catalog (cached), so junk is refused
 * before a namespace exists, and the namespace of a closed server is removed.
 */
export class GameServerNamespaces {
  readonly parent: ParentNamespace;
  private slugs = new Set<string>();
  private closed = new Set<string>();
  private loadedAt = 0;
  private loading: Promise<void> | null = null;

  constructor(
    private readonly io: IoServer,
    private readonly catalog: GameServerCatalog,
  ) {
    this.parent = io.of((name, _auth, next) => {
      this.known(name).then(
        (known) => next(null, known),
        () => next(null, false),
      );
    }) as ParentNamespace;
  }

  async refresh(): Promise<void> {
    const servers = await this.catalog.list();
    this.slugs = new Set(servers.map((s) => s.slug));
    this.closed = new Set(servers.filter((s) => s.status === "closed").map((s) => s.slug));
    this.loadedAt = Date.now();
  }

  private async known(name: string): Promise<boolean> {
    const slug = Namespaces.gameServerPattern.exec(name)?.[1];
    if (!slug) return false;
    if (!this.slugs.has(slug) && Date.now() - this.loadedAt > REFRESH_MS) {
      this.loading ??= this.refresh().finally(() => {
        this.loading = null;
      });
      await this.loading;
    }
    return this.slugs.has(slug);
  }

  /** The namespace of a catalog server, created on first use like a connect would. */
  get(slug: string): IoNamespace {
    const name = Namespaces.gameServer(slug);
    return this.io._nsps.get(name) ?? this.parent.createChild(name);
  }

  opened(slug: string): void {
    this.slugs.add(slug);
    this.closed.delete(slug);
  }

  /** Call once the server's sockets are disconnected. */
  closedNow(slug: string): void {
    this.slugs.add(slug);
    this.closed.add(slug);
    this.removeLater(slug);
  }

  /** Drops the namespace of a closed server if nobody is on it (a refused connect recreates it). */
  removeLater(slug: string): void {
    setTimeout(() => this.removeIfClosed(slug), REMOVE_DELAY_MS).unref();
  }

  private removeIfClosed(slug: string): void {
    const name = Namespaces.gameServer(slug);
    const nsp = this.io._nsps.get(name);
    if (!nsp || !this.closed.has(slug) || nsp.sockets.size > 0) return;
    nsp.adapter.close();
    this.io._nsps.delete(name);
    this.parent.children.delete(nsp);
  }
}
