// Per-key rate limits (memory and Redis), persisted-only partners, introspection, CORS, CSRF and
// the locally served GraphiQL.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApp, DEFAULT_RATE_LIMITS } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { loadManifest } from '../../src/graphql/persisted-operations.js';
import { createTestApp, viewerFor, type TestApp } from '../support/graphql.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('limits and browser safety (pglite)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('pglite', {
      seedListings: 1,
      app: { rateLimits: { ...DEFAULT_RATE_LIMITS, requestsPerMinute: 3 }, corsOrigins: ['https://dash.example'] },
    });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  test('over the request limit: HTTP 429 with Retry-After, per key', async () => {
    const limited = viewerFor('dashboard', { name: 'rl-dashboard' });
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 4; i++) {
      last = await t.post({ query: '{ marketplaces { id } }' }, limited);
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    const body = (await last!.json()) as { errors: Array<{ extensions: { code: string } }> };
    expect(body.errors[0]!.extensions.code).toBe('RATE_LIMITED');
    // Another key has its own budget.
    expect((await t.post({ query: '{ marketplaces { id } }' }, viewerFor('dashboard', { name: 'rl-other' }))).status).toBe(200);
  });

  test('over the query-cost limit: 429 before anything executes', async () => {
    const app = createApp({
      db: t.db,
      logger: pino({ level: 'silent' }),
      graphiql: false,
      viewerOverride: () => viewerFor('script', { name: 'rl-cost' }),
      rateLimits: { ...DEFAULT_RATE_LIMITS, costPerMinute: 4 },
    });
    const post = (query: string) =>
      app.fetch('http://test/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
    expect((await post('{ __typename }')).status).toBe(200);
    const before = await t.db.prisma.supplier.count();
    const response = await post('mutation { createSupplier(input: { name: "cost-limited" }) { __typename ... on SupplierPayload { supplier { id name email phone website address notes } } } }');
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await t.db.prisma.supplier.count()).toBe(before);
  });

  test('partner keys run only persisted operations; others may send documents', async () => {
    const partner = viewerFor('partner', { name: 'po-partner' });
    const arbitrary = await t.post({ query: '{ marketplaces { id } }' }, partner);
    const body = (await arbitrary.json()) as { data?: unknown; errors: Array<{ extensions: { code: string } }> };
    expect(body.data).toBeUndefined();
    expect(body.errors[0]!.extensions.code).toBe('PERSISTED_QUERY_ONLY');
    const registered = Object.keys(loadManifest());
    expect(registered.length).toBeGreaterThan(0);
    const byHash = await t.post({ extensions: { persistedQuery: { version: 1, sha256Hash: registered.find((h) => loadManifest()[h]!.includes('PartnerListings'))! } } }, viewerFor('partner', { name: 'po-partner-2' }));
    expect(byHash.status).toBe(200);
    const listed = (await byHash.json()) as { data: { listings: { totalCount: number } } };
    expect(listed.data.listings.totalCount).toBe(1);
    expect((await t.gql('{ marketplaces { id } }', {}, viewerFor('dashboard', { name: 'po-dashboard' }))).errors).toBeUndefined();
  });

  test('introspection is refused for partner keys, allowed for others', async () => {
    const introspection = '{ __schema { queryType { name } } }';
    const partner = await t.gql(introspection, {}, viewerFor('partner', { name: 'intro-partner' }));
    expect(partner.data).toBeUndefined();
    expect(partner.errors?.[0]?.message).toMatch(/introspection/i);
    const dashboard = await t.gql(introspection, {}, viewerFor('dashboard', { name: 'intro-dashboard' }));
    expect(dashboard.data.__schema.queryType.name).toBe('Query');
  });

  test('CORS: a foreign origin gets no allow-origin; a configured one does, never with credentials', async () => {
    const preflight = (origin: string) =>
      t.app.fetch('http://test/graphql', {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,authorization' },
      });
    const evil = await preflight('https://evil.example');
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    expect(evil.headers.get('access-control-allow-credentials')).toBeNull();
    const allowed = await preflight('https://dash.example');
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://dash.example');
    expect(allowed.headers.get('access-control-allow-credentials')).not.toBe('true');
  });

  test('CORS is closed when no origin is configured', async () => {
    const closed = createApp({ db: t.db, logger: pino({ level: 'silent' }), graphiql: false, viewerOverride: () => viewerFor('admin') });
    const response = await closed.fetch('http://test/graphql', {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  test('CSRF: a GET (no preflight) without the CSRF header is refused, with it answered', async () => {
    const url = `http://test/graphql?query=${encodeURIComponent('{ marketplaces { id } }')}`;
    const bare = await t.app.fetch(url, { headers: { accept: 'application/json' } });
    expect(bare.status).toBe(403);
    const withHeader = await t.app.fetch(url, { headers: { accept: 'application/json', 'x-graphql-yoga-csrf': '1' } });
    expect(withHeader.status).toBe(200);
  });

  test('GraphiQL is served from the installed package: no URL outside the page itself', async () => {
    const app = createApp({ db: t.db, logger: pino({ level: 'silent' }), graphiql: true, graphiqlKey: 'lh_preset' });
    const page = await (await app.fetch('http://test/graphql', { headers: { accept: 'text/html' } })).text();
    expect(page).toContain('YogaGraphiQL');
    expect(page.length).toBeGreaterThan(1_000_000);
    const external = [...page.matchAll(/<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*["']([^"']+)["']/gi)].map((m) => m[1]!);
    expect(external.filter((url) => /^(https?:)?\/\//i.test(url))).toEqual([]);
    expect(page).not.toMatch(/unpkg\.com|jsdelivr|cdnjs|esm\.sh/);
    // The preset key is only handed to a browser on this machine (no loopback socket here).
    expect(page).not.toContain('lh_preset');
  });

  test('GraphiQL is off with NODE_ENV=production unless GRAPHIQL=true; CORS origins come from CORS_ORIGINS', () => {
    expect(loadConfig({}).graphiql).toBe(true);
    expect(loadConfig({ NODE_ENV: 'production' }).graphiql).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', GRAPHIQL: 'true' }).graphiql).toBe(true);
    expect(loadConfig({}).corsOrigins).toEqual([]);
    expect(loadConfig({ CORS_ORIGINS: 'https://a.example, https://b.example' }).corsOrigins).toEqual(['https://a.example', 'https://b.example']);
  });
});

describe('rate limits shared through Redis', () => {
  let redis: Redis | undefined;
  let available = false;
  beforeAll(async () => {
    redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false });
    try {
      await redis.connect();
      available = (await redis.ping()) === 'PONG';
    } catch {
      available = false;
    }
    if (!available) console.warn(`[tests] Redis at ${REDIS_URL} unreachable: the shared rate-limit test is SKIPPED`);
  });
  afterAll(async () => {
    redis?.disconnect();
  });

  test('two gateway instances share one budget per key', async (ctx) => {
    if (!available) ctx.skip();
    const keyPrefix = `lh-test-${randomBytes(6).toString('hex')}`;
    const a = await createTestApp('pglite', { app: { rateLimits: { ...DEFAULT_RATE_LIMITS, requestsPerMinute: 2, redis, keyPrefix } } });
    try {
      const b = createApp({
        db: a.db,
        logger: pino({ level: 'silent' }),
        graphiql: false,
        viewerOverride: () => viewerFor('dashboard', { name: 'shared' }),
        rateLimits: { ...DEFAULT_RATE_LIMITS, requestsPerMinute: 2, redis, keyPrefix },
      });
      const viewer = viewerFor('dashboard', { name: 'shared' });
      const body = { query: '{ marketplaces { id } }' };
      const post = (app: typeof b) =>
        app.fetch('http://test/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect((await a.post(body, viewer)).status).toBe(200);
      expect((await post(b)).status).toBe(200);
      expect((await a.post(body, viewer)).status).toBe(429);
      expect((await post(b)).status).toBe(429);
      expect(await redis!.keys(`${keyPrefix}*`)).not.toEqual([]);
    } finally {
      const keys = await redis!.keys(`${keyPrefix}*`);
      if (keys.length) await redis!.del(...keys);
      await a.close();
    }
  }, 120_000);
});
