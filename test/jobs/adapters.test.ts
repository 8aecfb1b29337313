import { describe, expect, test } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { SimulatedMarketplace, createMarketplaceClient, type MarketplaceClient } from '../../src/jobs/adapters.js';
import { retryDelayMs } from '../../src/jobs/queue.js';

describe('marketplace modes', () => {
  test('simulate is the default and observes nothing', async () => {
    const config = loadConfig({});
    expect([config.worker.marketplaceMode, config.worker.mode, config.worker.publishEnabled]).toEqual(['simulate', 'inline', true]);
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h/db' }).worker.mode).toBe('separate');
    const client = createMarketplaceClient({ mode: 'simulate' });
    expect(client).toBeInstanceOf(SimulatedMarketplace);
    expect(await client.fetchOffers(['B0X'])).toBeNull();
    expect(await client.fetchCatalogItem('B0X', null)).toBeNull();
  });

  test('live refuses to start without SP-API credentials, naming the missing ones (never their values)', () => {
    expect(() => createMarketplaceClient({ mode: 'live', credentials: { clientId: 'id-123' } })).toThrow(ConfigError);
    try {
      createMarketplaceClient({ mode: 'live', credentials: { clientId: 'id-123' } });
    } catch (error) {
      expect((error as Error).message).toContain('missing: clientSecret, refreshToken');
      expect((error as Error).message).not.toContain('id-123');
    }
    const all = { clientId: 'a', clientSecret: 'b', refreshToken: 'c' };
    expect(() => createMarketplaceClient({ mode: 'live', credentials: all })).toThrow(/no SP-API client/);
    const injected: MarketplaceClient = { ...new SimulatedMarketplace(), mode: 'live' } as MarketplaceClient;
    expect(createMarketplaceClient({ mode: 'live', credentials: all, live: injected })).toBe(injected);
  });

  test('retry delay: nominal 30/60/120/240 s, capped at 3600 s, times U[0.5, 1.5)', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, () => 0.5))).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(retryDelayMs(12, () => 0.5)).toBe(3_600_000);
    expect(retryDelayMs(1, () => 0)).toBe(15_000);
  });
});
