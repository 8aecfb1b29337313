// Access control over GraphQL: the schema declares a policy everywhere, each role may do exactly
// what the README says, a refusal writes nothing, and 401/403 have their GraphQL shape.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createKey, revokeKey } from '../../src/auth/keys.js';
import { allFieldPolicies, maySee } from '../../src/auth/policy.js';
import { schema } from '../../src/schema/index.js';
import { backends } from '../support/databases.js';
import { createTestApp, viewerFor, type CallAs, type TestApp } from '../support/graphql.js';
import { createListing, createRecommendation, gid } from '../mutations/fixtures.js';
import { everyMutation } from './inputs.js';

const SCRIPT_REFUSED = ['updateGuardrailSettings', 'createApiKey', 'revokeApiKey'];
const PRICING = ['previewPriceChange', 'publishPriceChange', 'previewStockChange', 'publishStockChange'];

describe('every object field and mutation declares a policy (schema walk)', () => {
  const policies = allFieldPolicies(schema);

  test('no field of any object type is without a declared policy', () => {
    expect(policies.filter((row) => !row.policy.declared).map((row) => `${row.type}.${row.field}`)).toEqual([]);
    expect(policies.length).toBeGreaterThan(300);
  });

  test('every root query and mutation field declares its own policy, not only its type', () => {
    const roots = [schema.getQueryType()!, schema.getMutationType()!];
    const missing = roots.flatMap((type) =>
      Object.values(type.getFields())
        .filter((field) => !(field.extensions as { pothosOptions?: { authScopes?: unknown } }).pothosOptions?.authScopes)
        .map((field) => `${type.name}.${field.name}`),
    );
    expect(missing).toEqual([]);
  });

  test('a partner may see no cost: every field naming a cost, fee, margin, profit or break-even needs costs:read', () => {
    const partner = viewerFor('partner');
    const costly = /cost|fee|margin|profit|breakEven|priceHistory|minimumOrderValue|economics|rollup/i;
    const seen = policies.filter((row) => costly.test(row.field) && maySee(schema, partner, row.type, row.field));
    expect(seen.map((row) => `${row.type}.${row.field}`)).toEqual([]);
    expect(maySee(schema, partner, 'Listing', 'sellerSku')).toBe(true);
    expect(maySee(schema, viewerFor('dashboard'), 'Listing', 'economics')).toBe(true);
  });
});

describe.each(backends)('roles and refusals (%s)', (kind) => {
  let t: TestApp;
  const mutations = everyMutation(schema);

  beforeAll(async () => {
    t = await createTestApp(kind, { seedListings: 2, app: { keyCacheTtlMs: 0 } });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  async function tableCounts(): Promise<Record<string, number>> {
    const tables = await t.db.prisma.$queryRawUnsafe<Array<{ name: string }>>(
      `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`,
    );
    const counts: Record<string, number> = {};
    for (const { name } of tables) {
      const [row] = await t.db.prisma.$queryRawUnsafe<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM "${name}"`);
      counts[name] = row!.n;
    }
    return counts;
  }

  async function refusedMutations(as: CallAs): Promise<string[]> {
    const refused: string[] = [];
    for (const m of mutations) {
      const result = await t.gql(m.query, m.variables, as);
      const forbidden = result.errors?.find((e) => e.extensions?.code === 'FORBIDDEN');
      if (forbidden) {
        expect(forbidden.path).toEqual([m.name]);
        expect(result.data?.[m.name] ?? null).toBeNull();
        refused.push(m.name);
      } else {
        expect(result.errors ?? [], m.name).toEqual([]);
      }
    }
    return refused.sort();
  }

  test('dashboard and partner keys run no mutation, and the refused calls write nothing to any table', async () => {
    const before = await tableCounts();
    const all = mutations.map((m) => m.name).sort();
    expect(all.length).toBeGreaterThanOrEqual(26);
    expect(await refusedMutations(viewerFor('dashboard'))).toEqual(all);
    expect(await refusedMutations(viewerFor('partner'))).toEqual(all);
    // A partner granted pricing:write may price, nothing else.
    expect(await refusedMutations(viewerFor('partner', { scopes: ['pricing:write'] }))).toEqual(all.filter((n) => !PRICING.includes(n)));
    expect(await tableCounts()).toEqual(before);
  }, 120_000);

  test('script keys run every mutation but settings and keys; admin keys run all', async () => {
    expect(await refusedMutations(viewerFor('script'))).toEqual([...SCRIPT_REFUSED].sort());
    expect(await refusedMutations(viewerFor('admin'))).toEqual([]);
  }, 120_000);

  // One query reaching every field a partner may not read; each must come back FORBIDDEN at its path.
  const COSTLY = `{
    listings(first: 2) { edges { node {
      economics { priceExVat profitExVat margin }
      costOverride { shippingCostExVat }
      feeSnapshots(first: 1) { totalCount }
      latestFeeSnapshot { totalFeeExVat }
      jobs(first: 1) { totalCount }
      activeBom { costRollup { bomCostExVat } lines { lineCostExVat component { unitCostExVat priceHistory supplier { name } } } }
      latestFeatures { margin profitExVat bomCostExVat amazonFeesExVat breakEvenPriceIncVat raw }
      recommendations { actionPayload evidence impact guardrails generationJob { id } }
    } } }
    components(first: 1) { totalCount }
    suppliers(first: 1) { totalCount }
    jobs(first: 1) { totalCount }
    settings { guardrails { minMargin } }
    apiKeys { name }
  }`;

  test('cost-bearing fields: FORBIDDEN at their path for a partner, readable by dashboard, script and admin', async () => {
    const forbiddenFields = (errors: Array<{ path?: Array<string | number>; extensions?: Record<string, unknown> }> = []) =>
      [...new Set(errors.filter((e) => e.extensions?.code === 'FORBIDDEN').map((e) => e.path!.filter((p) => typeof p === 'string').join('.')))].sort();

    const partner = await t.gql(COSTLY, {}, viewerFor('partner'));
    const refused = forbiddenFields(partner.errors);
    for (const path of [
      'listings.edges.node.economics', 'listings.edges.node.costOverride', 'listings.edges.node.feeSnapshots',
      'listings.edges.node.latestFeeSnapshot', 'listings.edges.node.jobs', 'listings.edges.node.activeBom.costRollup',
      'listings.edges.node.latestFeatures.margin', 'listings.edges.node.latestFeatures.raw', 'listings.edges.node.recommendations.evidence',
      'components', 'suppliers', 'jobs', 'settings', 'apiKeys',
    ]) {
      expect(refused).toContain(path);
    }
    expect(JSON.stringify(partner.data)).not.toMatch(/"(margin|profitExVat|bomCostExVat|unitCostExVat|shippingCostExVat)":"/);
    // Nor inside JSON payloads (recommendation actions, evidence): no margin, profit or cost key with a value.
    expect(JSON.stringify(partner.data)).not.toMatch(/"\w*(margin|profit|cost_ex_vat|break_even)\w*":(?!null)/i);

    for (const role of ['dashboard', 'script'] as const) {
      const result = await t.gql(COSTLY, {}, viewerFor(role));
      expect(forbiddenFields(result.errors)).toEqual(['apiKeys']);
    }
    expect((await t.gql(COSTLY, {}, viewerFor('admin'))).errors).toBeUndefined();
  });

  test('no key, an unknown, a revoked or an expired key: HTTP 401 UNAUTHENTICATED and nothing runs', async () => {
    const publish = everyMutation(schema).find((m) => m.name === 'createSupplier')!;
    const before = await tableCounts();
    const { secret: revoked } = await createKey(t.db.prisma, { name: `revoked-${kind}`, role: 'admin' });
    await revokeKey(t.db.prisma, `revoked-${kind}`);
    const { secret: expired } = await createKey(t.db.prisma, { name: `expired-${kind}`, role: 'admin', expiresIn: '1m', now: new Date(Date.now() - 120_000) });
    const countsWithKeys = await tableCounts();
    for (const as of [{ anonymous: true } as const, { key: 'lh_unknownunknownunknownunknownunknownunknown1' }, { key: revoked }, { key: expired }]) {
      const response = await t.post({ query: publish.query, variables: publish.variables }, as);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      const body = (await response.json()) as { data?: unknown; errors: Array<{ message: string; extensions: { code: string } }> };
      expect(body.data).toBeUndefined();
      expect(body.errors).toHaveLength(1);
      expect(body.errors[0]!.extensions.code).toBe('UNAUTHENTICATED');
    }
    expect(await tableCounts()).toEqual(countsWithKeys);
    expect(countsWithKeys.api_keys).toBe(before.api_keys! + 2);
    const health = await t.app.fetch('http://test/health');
    expect(health.status).toBe(200);
  });

  test('a key works until it is revoked; audit rows name it', async () => {
    const name = `script-${kind}`;
    const { secret } = await createKey(t.db.prisma, { name, role: 'script' });
    const { listingId } = await createListing(t.db.prisma);
    const result = await t.gql(
      `mutation($input: PublishPriceChangeInput!) { publishPriceChange(input: $input) { __typename ... on PublishPriceChangePayload { job { databaseId createdBy } listingEvent { databaseId createdBy } } ... on Error { message } } }`,
      { input: { listingId: gid('Listing', listingId), priceIncVat: '24.50' } },
      { key: secret },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data.publishPriceChange.__typename).toBe('PublishPriceChangePayload');
    const payload = result.data.publishPriceChange;
    expect(payload.job.createdBy).toBe(`key:${name}`);
    expect(payload.listingEvent.createdBy).toBe(`key:${name}`);
    const stored = await t.db.prisma.listingEvent.findUniqueOrThrow({ where: { id: payload.listingEvent.databaseId } });
    expect(stored.createdBy).toBe(`key:${name}`);
    expect((await t.db.prisma.apiKey.findUniqueOrThrow({ where: { name } })).lastUsedAt).not.toBeNull();

    const recId = await createRecommendation(t.db.prisma, { listingId, generatedAt: new Date() });
    const viewed = await t.gql(
      `mutation($input: MarkRecommendationViewedInput!) { markRecommendationViewed(input: $input) { __typename ... on MarkRecommendationViewedPayload { event { createdBy } } } }`,
      { input: { recommendationId: gid('Recommendation', recId) } },
      { key: secret },
    );
    expect(viewed.data.markRecommendationViewed.event.createdBy).toBe(`key:${name}`);
    const events = await t.db.prisma.recommendationEvent.findMany({ where: { recommendationId: recId, eventType: 'VIEWED' } });
    expect(events.map((e) => e.createdBy)).toEqual([`key:${name}`]);

    await revokeKey(t.db.prisma, name);
    const after = await t.post({ query: '{ marketplaces { id } }' }, { key: secret });
    expect(after.status).toBe(401);
  });

  test('admin keys create and revoke keys through GraphQL; the secret is shown once and stored hashed', async () => {
    const created = await t.gql(
      `mutation { createApiKey(input: { name: "gql-partner-${kind}", role: "partner", marketplaces: ["GB"], scopes: ["pricing:write"] }) { __typename ... on CreateApiKeyPayload { secret apiKey { name role scopes marketplaceIds prefix } } ... on ValidationError { reason } } }`,
    );
    const payload = created.data.createApiKey;
    expect(payload.__typename).toBe('CreateApiKeyPayload');
    expect(payload.secret).toMatch(/^lh_[A-Za-z0-9_-]{43}$/);
    expect(payload.secret.startsWith(payload.apiKey.prefix)).toBe(true);
    const row = await t.db.prisma.apiKey.findUniqueOrThrow({ where: { name: `gql-partner-${kind}` } });
    expect(JSON.stringify(row)).not.toContain(payload.secret);
    const bad = await t.gql(`mutation { createApiKey(input: { name: "bad-${kind}", role: "partner", scopes: ["costs:read"] }) { __typename ... on ValidationError { reason } } }`);
    expect(bad.data.createApiKey.reason).toContain('costs:read');
    const unknownMarket = await t.gql(`mutation { createApiKey(input: { name: "bad2-${kind}", role: "dashboard", marketplaces: ["ZZ"] }) { __typename ... on ValidationError { reason } } }`);
    expect(unknownMarket.data.createApiKey.reason).toContain('"ZZ"');
    const revoked = await t.gql(`mutation { revokeApiKey(input: { name: "gql-partner-${kind}" }) { __typename ... on RevokeApiKeyPayload { apiKey { revokedAt } } } }`);
    expect(revoked.data.revokeApiKey.apiKey.revokedAt).not.toBeNull();
    expect((await t.post({ query: '{ marketplaces { id } }' }, { key: payload.secret, persisted: true })).status).toBe(401);
  });
});
