/**
 * The outside world of the worker: the Amazon marketplace (SP-API) and Keepa, behind interfaces.
 * This build ships the `simulate` marketplace (publishes apply to the local database only) and no
 * network clients: this machine has no credentials. `live` mode refuses to start without them, and
 * with them until a real client is injected (createMarketplaceClient's `live` option).
 */
import { ConfigError } from '../config.js';
import { JobError } from './queue.js';

export interface MarketplaceListingRef {
  listingId: number;
  sellerSku: string;
  asin: string | null;
  marketplaceCode: string | null;
}

export interface OfferObservation {
  asin: string;
  priceIncVat: string | null;
  availableQuantity: number | null;
  buyBoxStatus: 'WON' | 'LOST' | 'UNKNOWN';
  buyBoxPercentage30d: string | null;
  buyBoxPrice: string | null;
  observedAt: Date;
}

export interface CatalogItem {
  asin: string;
  title: string | null;
  brand: string | null;
  category: string | null;
  /** Source timestamp; the snapshot's captured_at (§6.3). */
  capturedAt: Date;
  raw: Record<string, unknown>;
}

export interface MarketplaceClient {
  readonly mode: 'simulate' | 'live';
  /** Sets the price on the marketplace; `simulate` does nothing (the local database is the target). */
  publishPrice(listing: MarketplaceListingRef, priceIncVat: string): Promise<void>;
  publishQuantity(listing: MarketplaceListingRef, quantity: number): Promise<void>;
  /** Current offers; null when this client cannot observe the marketplace (simulate). */
  fetchOffers(asins: readonly string[]): Promise<OfferObservation[] | null>;
  /** Catalog data; null when this client cannot reach the catalog (simulate). */
  fetchCatalogItem(asin: string, marketplaceCode: string | null): Promise<CatalogItem | null>;
}

export interface KeepaProduct {
  /** Keepa `lastUpdate` as an instant: the snapshot's captured_at (§6.3). */
  capturedAt: Date;
  raw: Record<string, unknown>;
  /** `{metrics, csv}` as the feature computation reads it (csv[1] NEW price in pence, csv[3] rank). */
  parsed: Record<string, unknown>;
}

export interface KeepaClient {
  fetchProduct(asin: string, marketplaceId: number): Promise<KeepaProduct>;
}

/** Publishes change only the local database; no observations are invented. */
export class SimulatedMarketplace implements MarketplaceClient {
  readonly mode = 'simulate' as const;
  async publishPrice(): Promise<void> {}
  async publishQuantity(): Promise<void> {}
  async fetchOffers(): Promise<null> {
    return null;
  }
  async fetchCatalogItem(): Promise<null> {
    return null;
  }
}

export interface MarketplaceCredentials {
  clientId?: string;
  clientSecret?: string;
  refreshToken?: string;
}

export function createMarketplaceClient(options: {
  mode: 'simulate' | 'live';
  credentials?: MarketplaceCredentials;
  /** A real SP-API client (none ships with this build). */
  live?: MarketplaceClient;
}): MarketplaceClient {
  if (options.mode === 'simulate') return new SimulatedMarketplace();
  const c = options.credentials ?? {};
  const missing = (['clientId', 'clientSecret', 'refreshToken'] as const).filter((key) => !c[key]);
  if (missing.length > 0) {
    throw new ConfigError(`MARKETPLACE_MODE=live needs SP-API credentials: SP_API_CLIENT_ID, SP_API_CLIENT_SECRET, SP_API_REFRESH_TOKEN (missing: ${missing.join(', ')})`);
  }
  if (!options.live) throw new ConfigError('MARKETPLACE_MODE=live: this build has no SP-API client; use MARKETPLACE_MODE=simulate or inject a MarketplaceClient');
  return options.live;
}

/** The non-retryable failure of a sync that needs credentials this installation does not have. */
export function noCredentials(what: string): JobError {
  return new JobError('NO_CREDENTIALS', `${what}: no credentials configured, nothing was fetched`, false);
}
