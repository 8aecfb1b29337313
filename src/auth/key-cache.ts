import type { ApiKey, PrismaClient } from '../generated/prisma/client.js';
import { findKeyBySecret, hashSecret, isUsable } from './keys.js';
import { isRole } from './roles.js';
import { makeViewer, type Viewer } from './viewer.js';

/** How long a looked-up key is trusted without asking the database: revocation takes effect within this. */
export const KEY_CACHE_TTL_MS = 5_000;
/**
 * last_used_at is written at most this often per key. The one request a minute that writes it
 * waits for the write, so no write is left in flight when the server closes the database.
 */
const LAST_USED_INTERVAL_MS = 60_000;
const MAX_ENTRIES = 10_000;

interface Entry {
  key: Pick<ApiKey, 'id' | 'name' | 'role' | 'scopes' | 'marketplaceIds' | 'revokedAt' | 'expiresAt'> | null;
  viewer: Viewer | null;
  until: number;
}

/**
 * Resolves a bearer secret to its viewer, caching the answer (including "unknown") briefly in
 * process so checking a key costs a hash and a map lookup on most requests. Keyed by the hash, so
 * no secret is kept in memory longer than the request.
 */
export class KeyCache {
  private entries = new Map<string, Entry>();
  private lastUsedWritten = new Map<number, number>();

  constructor(
    private prisma: PrismaClient,
    private ttlMs = KEY_CACHE_TTL_MS,
    private onError: (error: unknown) => void = () => {},
  ) {}

  /** The viewer of a usable key, or null (unknown, revoked, expired). */
  async viewerFor(secret: string, now: Date): Promise<Viewer | null> {
    const hash = hashSecret(secret);
    let entry = this.entries.get(hash);
    if (!entry || entry.until <= Date.now()) {
      entry = await this.load(secret);
      if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
      this.entries.set(hash, entry);
    }
    if (!entry.key || !entry.viewer || !isUsable(entry.key, now)) return null;
    await this.touch(entry.key.id, now);
    return entry.viewer;
  }

  /** Forget every cached answer (after a revocation in this process). */
  clear(): void {
    this.entries.clear();
  }

  private async load(secret: string): Promise<Entry> {
    const key = await findKeyBySecret(this.prisma, secret);
    const until = Date.now() + this.ttlMs;
    if (!key || !isRole(key.role)) return { key: null, viewer: null, until };
    let viewer: Viewer | null = null;
    try {
      viewer = makeViewer({ keyId: key.id, name: key.name, role: key.role, scopes: key.scopes, marketplaceIds: key.marketplaceIds });
    } catch (error) {
      // A stored scope this version does not know: the key is refused rather than half-trusted.
      this.onError(error);
    }
    return { key, viewer, until };
  }

  private async touch(keyId: number, now: Date): Promise<void> {
    const last = this.lastUsedWritten.get(keyId) ?? 0;
    if (now.getTime() - last < LAST_USED_INTERVAL_MS) return;
    this.lastUsedWritten.set(keyId, now.getTime());
    // Bookkeeping only: a failed write never refuses the request.
    await this.prisma.apiKey.update({ where: { id: keyId }, data: { lastUsedAt: now } }).catch(this.onError);
  }
}
