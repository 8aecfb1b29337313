import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, limitVariable, loadConfig } from '../../src/config.js';
import { testDatabaseUrl, withAdminClient } from '../support/databases.js';
import { createTestApp, type GraphQLResponse, type TestApp } from '../support/graphql.js';
import { createListing, gid } from '../mutations/fixtures.js';

/** Issue 7: each limit of README "Limits" refuses, with an error naming it, just above its value. */

const L = DEFAULT_LIMITS;

describe('request limits (PGlite)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('pglite', { seedListings: 2 });
  });
  afterAll(() => t?.close());

  const post = async (body: BodyInit, headers: Record<string, string> = {}) => {
    const response = await t.app.fetch('http://test/graphql', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body, duplex: 'half' } as RequestInit);
    return { status: response.status, body: (await response.json()) as GraphQLResponse };
  };
  const refusal = (r: GraphQLResponse) => r.errors?.[0];

  it('maxBodyBytes: a larger body is refused with 413, with or without Content-Length', async () => {
    const body = JSON.stringify({ query: '{ __typename }', variables: { pad: 'a'.repeat(L.maxBodyBytes) } });
    const sized = await post(body);
    expect(sized.status).toBe(413);
    expect(refusal(sized.body)?.extensions?.code).toBe('REQUEST_ENTITY_TOO_LARGE');
    const chunked = await post(new Blob([body]).stream());
    expect(chunked.status).toBe(413);
    expect((await post(JSON.stringify({ query: '{ __typename }' }))).status).toBe(200);
  });

  it('maxSearchLength: a longer `search` is refused on listings, components and suppliers', async () => {
    for (const field of ['listings', 'components', 'suppliers']) {
      const query = `query($s: String) { ${field}(filter: { search: $s }) { totalCount } }`;
      const over = await t.gql(query, { s: 'a'.repeat(L.maxSearchLength + 1) });
      expect(refusal(over)?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: `${field}.filter.search`, limit: 'maxSearchLength', max: L.maxSearchLength });
      expect((await t.gql(query, { s: 'a'.repeat(L.maxSearchLength) })).data[field].totalCount).toBe(0);
    }
  });

  it('maxTextLength: longer notes are refused before anything is written', async () => {
    const create = `mutation($input: CreateSupplierInput!) { createSupplier(input: $input) { __typename } }`;
    const before = await t.db.prisma.supplier.count();
    const over = await t.gql(create, { input: { name: 'Long notes', notes: 'n'.repeat(L.maxTextLength + 1) } });
    expect(refusal(over)?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'createSupplier.input.notes', limit: 'maxTextLength' });
    expect(await t.db.prisma.supplier.count()).toBe(before);
    expect((await t.gql(create, { input: { name: 'Long notes', notes: 'n'.repeat(L.maxTextLength) } })).data.createSupplier.__typename).toBe('SupplierPayload');
  });

  it('maxNodeIds: nodes(ids:) takes at most that many ids', async () => {
    const query = 'query($ids: [ID!]!) { nodes(ids: $ids) { id } }';
    const over = await t.gql(query, { ids: Array.from({ length: L.maxNodeIds + 1 }, () => gid('Listing', 1)) });
    expect(refusal(over)?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'nodes.ids', limit: 'maxNodeIds', max: L.maxNodeIds });
    expect((await t.gql(query, { ids: Array.from({ length: L.maxNodeIds }, () => gid('Listing', 1)) })).data.nodes).toHaveLength(L.maxNodeIds);
  });

  it('maxListLength: any other list argument is bounded', async () => {
    const query = 'query($s: [ListingStatus!]) { listings(filter: { status: $s }) { totalCount } }';
    const over = await t.gql(query, { s: Array.from({ length: L.maxListLength + 1 }, () => 'ACTIVE') });
    expect(refusal(over)?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'listings.filter.status', limit: 'maxListLength' });
  });

  it('maxAliases: `__typename` aliases count', async () => {
    const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: __typename`).join(' ')} }`;
    expect(refusal(await t.gql(aliases(L.maxAliases + 1)))?.message).toMatch(new RegExp(`Aliases limit of ${L.maxAliases} exceeded`));
    expect((await t.gql(aliases(L.maxAliases))).data.a0).toBe('Query');
  });

  it('maxDepth: a deeper selection is refused', async () => {
    // Each hop recommendation → event → recommendation adds two levels.
    const deep = (n: number) => `{ recommendations(first: 1) { edges { node { ${'events { recommendation { '.repeat((n - 4) / 2)}id${' } }'.repeat((n - 4) / 2)} } } } }`;
    expect(refusal(await t.gql(deep(L.maxDepth + 2)))?.message).toMatch(new RegExp(`Query depth limit of ${L.maxDepth} exceeded`));
    expect((await t.gql(deep(L.maxDepth))).errors).toBeUndefined();
  });

  it('maxTokens: a longer document is refused', async () => {
    const query = `{ ${Array.from({ length: L.maxTokens }, () => '__typename').join(' ')} }`;
    expect(refusal(await t.gql(query))?.message).toMatch(new RegExp(`Token limit of ${L.maxTokens} exceeded`));
  });

  it('maxNesting: a literal nested deeper is refused with 400 before parsing', async () => {
    const nested = (n: number) => `{ listings(filter: { status: ${'['.repeat(n)}"a"${']'.repeat(n)} }) { totalCount } }`;
    const over = await post(JSON.stringify({ query: nested(L.maxNesting) }));
    expect(over.status).toBe(400);
    expect(refusal(over.body)?.extensions).toMatchObject({ code: 'NESTING_LIMIT_EXCEEDED', limit: 'maxNesting', max: L.maxNesting });
    const deepest = await post(JSON.stringify({ query: nested(L.maxNesting - 3) }));
    expect(refusal(deepest.body)?.extensions?.code).not.toBe('NESTING_LIMIT_EXCEEDED');
  });

  it('maxCost: page sizes multiply nested costs', async () => {
    const dashboard = (first: number) => `{ listings(first: ${first}) { edges { node {
      recommendations { events { id databaseId eventType createdAt createdBy reason detailsJson } }
      again: recommendations { events { id databaseId eventType createdAt createdBy reason detailsJson } }
      activeBom { lines { quantity component { name supplier { name } } } } } } } }`;
    const over = refusal(await t.gql(dashboard(100)));
    expect(over?.extensions).toMatchObject({ code: 'COST_LIMIT_EXCEEDED', limit: 'maxCost', max: L.maxCost });
    expect(over!.extensions!.cost as number).toBeGreaterThan(L.maxCost);
    // The same document with a page of 10 costs a tenth and runs.
    expect((await t.gql(dashboard(10))).errors).toBeUndefined();
  });

  it('every limit is configurable through its LIMIT_* variable', () => {
    const env = Object.fromEntries(Object.keys(L).map((name, i) => [limitVariable(name as keyof typeof L), String(100 + i)]));
    const config = loadConfig(env);
    expect(Object.values(config.limits)).toEqual(Object.keys(L).map((_, i) => 100 + i));
    expect(() => loadConfig({ LIMIT_MAX_COST: 'lots' })).toThrow(/LIMIT_MAX_COST/);
  });
});

describe.skipIf(!testDatabaseUrl)('statement timeout (PostgreSQL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('postgres', { statementTimeoutMs: 300 });
  });
  afterAll(() => t?.close());

  it('statementTimeoutMs: a statement waiting longer is cancelled and answered STATEMENT_TIMEOUT', async () => {
    const { listingId, componentIds } = await createListing(t.db.prisma);
    const database = new URL((t.testDb.config as { url: string }).url).pathname.slice(1);
    const create = `mutation($input: CreateBomVersionInput!) { createBomVersion(input: $input) { __typename } }`;
    const input = { listingId: gid('Listing', listingId), lines: [{ componentId: gid('Component', componentIds[0]!), quantity: '1' }] };
    // Another session holds the listing's row lock: the mutation's SELECT … FOR UPDATE waits.
    await withAdminClient(async (admin) => {
      const url = new URL(testDatabaseUrl!);
      url.pathname = `/${database}`;
      const { default: pg } = await import('pg');
      const holder = new pg.Client({ connectionString: url.toString() });
      await holder.connect();
      try {
        await holder.query('BEGIN');
        await holder.query('SELECT id FROM listings WHERE id = $1 FOR UPDATE', [listingId]);
        const started = performance.now();
        const answer = await t.gql(create, { input });
        expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'STATEMENT_TIMEOUT', limit: 'statementTimeoutMs', max: 300 });
        expect(performance.now() - started).toBeLessThan(5_000);
        await holder.query('ROLLBACK');
      } finally {
        await holder.end();
      }
      void admin;
    });
    expect((await t.gql(create, { input })).data.createBomVersion.__typename).toBe('CreateBomVersionPayload');
  });
});
