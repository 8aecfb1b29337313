// Partner row limits: a key limited to one marketplace sees nothing of another by any path. The
// paths are not hand-picked: every object field a partner may read is reached from the root by a
// generated query, and every id in every answer is checked against the database.
import { decodeGlobalID } from '@pothos/plugin-relay';
import { gid } from '../support/global-id.js';
import {
  getNamedType,
  isInterfaceType,
  isObjectType,
  isUnionType,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLObjectType,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { maySee } from '../../src/auth/policy.js';
import type { Viewer } from '../../src/auth/viewer.js';
import { schema } from '../../src/schema/index.js';
import { backends } from '../support/databases.js';
import { createTestApp, viewerFor, type TestApp } from '../support/graphql.js';

/** Where each marketplace-bound node type finds its marketplace (SQL over alias x). */
const BOUND: Record<string, { from: string; id: string; market: string }> = {
  Listing: { from: 'listings x', id: 'x.id', market: 'x.marketplace_id' },
  Marketplace: { from: 'marketplaces x', id: 'x.id', market: 'x.id' },
  ListingOffer: { from: 'listing_offer_current x JOIN listings l ON l.id = x.listing_id', id: 'x.listing_id', market: 'l.marketplace_id' },
  ListingCostOverride: { from: 'listing_cost_overrides x JOIN listings l ON l.id = x.listing_id', id: 'x.id', market: 'l.marketplace_id' },
  FeeSnapshot: { from: 'fee_snapshots x JOIN listings l ON l.id = x.listing_id', id: 'x.id', market: 'l.marketplace_id' },
  SalesDay: { from: 'listing_sales_daily x JOIN listings l ON l.id = x.listing_id', id: 'x.id', market: 'l.marketplace_id' },
  ListingEvent: { from: 'listing_events x JOIN listings l ON l.id = x.listing_id', id: 'x.id', market: 'l.marketplace_id' },
  AsinEntity: { from: 'asin_entities x', id: 'x.id', market: 'x.marketplace_id' },
  KeepaSnapshot: { from: 'keepa_snapshots x', id: 'x.id', market: 'x.marketplace_id' },
  CatalogSnapshot: { from: 'amazon_catalog_snapshots x', id: 'x.id', market: 'x.marketplace_id' },
  Bom: {
    from: 'boms x LEFT JOIN listings l ON l.id = x.listing_id LEFT JOIN asin_entities a ON a.id = x.asin_entity_id',
    id: 'x.id',
    market: 'COALESCE(l.marketplace_id, a.marketplace_id)',
  },
  BomLine: {
    from: 'bom_lines x JOIN boms b ON b.id = x.bom_id LEFT JOIN listings l ON l.id = b.listing_id LEFT JOIN asin_entities a ON a.id = b.asin_entity_id',
    id: 'x.id',
    market: 'COALESCE(l.marketplace_id, a.marketplace_id)',
  },
  Job: { from: 'jobs x LEFT JOIN listings l ON l.id = x.listing_id LEFT JOIN asin_entities a ON a.id = x.asin_entity_id', id: 'x.id', market: 'COALESCE(l.marketplace_id, a.marketplace_id)' },
  Recommendation: {
    from: `recommendations x LEFT JOIN listings l ON x.entity_type = 'LISTING' AND l.id = x.entity_id LEFT JOIN asin_entities a ON x.entity_type = 'ASIN' AND a.id = x.entity_id`,
    id: 'x.id',
    market: 'COALESCE(l.marketplace_id, a.marketplace_id)',
  },
  RecommendationEvent: {
    from: `recommendation_events x JOIN recommendations r ON r.id = x.recommendation_id LEFT JOIN listings l ON r.entity_type = 'LISTING' AND l.id = r.entity_id LEFT JOIN asin_entities a ON r.entity_type = 'ASIN' AND a.id = r.entity_id`,
    id: 'x.id',
    market: 'COALESCE(l.marketplace_id, a.marketplace_id)',
  },
  FeatureSnapshot: {
    from: `feature_store x LEFT JOIN listings l ON x.entity_type = 'LISTING' AND l.id = x.entity_id LEFT JOIN asin_entities a ON x.entity_type = 'ASIN' AND a.id = x.entity_id`,
    id: 'x.id',
    market: 'COALESCE(l.marketplace_id, a.marketplace_id)',
  },
};
/** Node types that belong to no marketplace (shared catalogue and configuration). */
const UNBOUND = ['Component', 'Supplier', 'Setting'];

const today = new Date().toISOString().slice(0, 10);
const yearAgo = new Date(Date.now() - 360 * 86_400_000).toISOString().slice(0, 10);

/** Arguments for a step: required ones filled, pages kept small. */
function argsOf(field: GraphQLField<unknown, unknown>): string {
  const parts: string[] = [];
  for (const arg of field.args) {
    if (arg.name === 'first') parts.push('first: 3');
    else if (arg.name === 'from') parts.push(`from: "${yearAgo}"`);
    else if (arg.name === 'to') parts.push(`to: "${today}"`);
  }
  return parts.length ? `(${parts.join(', ')})` : '';
}

/** Root fields a generated query can call without an id. */
// Lookups by id: checked one by one in 'node and nodes of a foreign row …' below.
const SKIPPED_ROOTS = new Set(['node', 'nodes', 'listing', 'nodeByDatabaseId']);

type Step = { field: string; args: string; on?: string };

function objectMembers(type: GraphQLNamedType): GraphQLObjectType[] {
  if (isObjectType(type)) return [type];
  if (isUnionType(type)) return [...type.getTypes()];
  if (isInterfaceType(type)) return [...schema.getPossibleTypes(type)];
  return [];
}

/** Shortest path (by partner-visible fields) from Query to every object type a partner can reach. */
function reachableTypes(viewer: Viewer): Map<string, Step[]> {
  const paths = new Map<string, Step[]>([['Query', []]]);
  const queue: GraphQLObjectType[] = [schema.getQueryType()!];
  while (queue.length) {
    const type = queue.shift()!;
    // Listings first: the richest root, so most types are reached through a listing.
    const fields = Object.values(type.getFields()).sort((a, b) => Number(b.name === 'listings') - Number(a.name === 'listings'));
    for (const field of fields) {
      if (type.name === 'Query' && SKIPPED_ROOTS.has(field.name)) continue;
      if (!maySee(schema, viewer, type.name, field.name)) continue;
      const named = getNamedType(field.type);
      const union = !isObjectType(named);
      for (const member of objectMembers(named)) {
        if (paths.has(member.name)) continue;
        paths.set(member.name, [...paths.get(type.name)!, { field: field.name, args: argsOf(field), on: union ? member.name : undefined }]);
        queue.push(member);
      }
    }
  }
  return paths;
}

/** What to select under a field: ids, counts, and one level of edges/node. */
function leaf(type: GraphQLNamedType, depth = 0): string {
  const members = objectMembers(type);
  if (members.length === 0) return '';
  if (!isObjectType(type)) return `{ __typename ${members.map((m) => `... on ${m.name} ${leaf(m, depth)}`).join(' ')} }`;
  const fields = type.getFields();
  const parts = ['__typename'];
  if (fields.id) parts.push('id');
  if (fields.totalCount) parts.push('totalCount');
  if (depth < 3) {
    for (const name of ['edges', 'node', 'nodes']) {
      if (fields[name]) parts.push(`${name} ${leaf(getNamedType(fields[name]!.type), depth + 1)}`);
    }
  }
  return `{ ${parts.join(' ')} }`;
}

/** Nests `inner` along the path; every step also selects its own ids and nodes (so they are checked too). */
function wrap(steps: Step[], inner: string): string {
  let type: GraphQLNamedType = schema.getQueryType()!;
  const types: GraphQLNamedType[] = [];
  for (const step of steps) {
    type = getNamedType((type as GraphQLObjectType).getFields()[step.field]!.type);
    if (step.on) type = schema.getType(step.on)!;
    types.push(type);
  }
  return steps.reduceRight((body, step, i) => {
    const own = leaf(types[i]!).slice(1, -1);
    return `${step.field}${step.args} { ${step.on ? `__typename ... on ${step.on} { ${own} ${body} }` : `${own} ${body}`} }`;
  }, inner);
}

function idOf(typeName: string): string {
  const type = schema.getType(typeName);
  return isObjectType(type) && type.getFields().id ? 'id' : '';
}

/** One query per (reachable type, visible field returning an object). */
function generatedQueries(viewer: Viewer): Array<{ label: string; query: string }> {
  const queries: Array<{ label: string; query: string }> = [];
  for (const [typeName, steps] of reachableTypes(viewer)) {
    const type = schema.getType(typeName) as GraphQLObjectType;
    for (const field of Object.values(type.getFields())) {
      if (typeName === 'Query' && SKIPPED_ROOTS.has(field.name)) continue;
      if (!maySee(schema, viewer, typeName, field.name)) continue;
      const named = getNamedType(field.type);
      if (objectMembers(named).length === 0) continue;
      const inner = `${idOf(typeName)} ${field.name}${argsOf(field)} ${leaf(named)}`;
      queries.push({ label: `${typeName}.${field.name}`, query: `{ ${wrap(steps, inner)} }` });
    }
  }
  return queries;
}

function collectIds(value: unknown, into: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) collectIds(item, into);
  else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'id' && typeof inner === 'string') into.push(inner);
      else collectIds(inner, into);
    }
  }
  return into;
}

describe.each(backends)('partner row limits (%s)', (kind) => {
  let t: TestApp;
  let gb: number;
  let de: number;
  let partner: Viewer;

  async function one<T>(sql: string, ...params: unknown[]): Promise<T | undefined> {
    return (await t.db.prisma.$queryRawUnsafe<T[]>(sql, ...params))[0];
  }

  beforeAll(async () => {
    t = await createTestApp(kind, { seedListings: 6 });
    const p = t.db.prisma;
    gb = (await p.marketplace.findFirstOrThrow({ where: { countryCode: 'GB' } })).id;
    de = (await p.marketplace.findFirstOrThrow({ where: { countryCode: 'DE' } })).id;
    // Half the listings (and their ASIN entities and snapshots) move to DE.
    await p.$executeRawUnsafe(`UPDATE listings SET marketplace_id = $1 WHERE id % 2 = 0`, de);
    await p.$executeRawUnsafe(`UPDATE asin_entities a SET marketplace_id = l.marketplace_id FROM listings l WHERE l.id = a.listing_id`);
    await p.$executeRawUnsafe(`UPDATE keepa_snapshots s SET marketplace_id = a.marketplace_id FROM asin_entities a WHERE a.id = s.asin_entity_id`);
    await p.$executeRawUnsafe(`UPDATE amazon_catalog_snapshots s SET marketplace_id = a.marketplace_id FROM asin_entities a WHERE a.id = s.asin_entity_id`);
    // A component shared by a GB and a DE BOM, so component → BOM lines → BOM → listing can cross.
    const gbLine = await one<{ component_id: number }>(
      `SELECT bl.component_id FROM bom_lines bl JOIN boms b ON b.id = bl.bom_id JOIN listings l ON l.id = b.listing_id WHERE l.marketplace_id = $1 AND b.is_active LIMIT 1`, gb);
    const deBom = await one<{ id: number }>(`SELECT b.id FROM boms b JOIN listings l ON l.id = b.listing_id WHERE l.marketplace_id = $1 AND b.is_active LIMIT 1`, de);
    await p.$executeRawUnsafe(`INSERT INTO bom_lines (bom_id, component_id, quantity) VALUES ($1, $2, 1) ON CONFLICT DO NOTHING`, deBom!.id, gbLine!.component_id);
    partner = viewerFor('partner', { name: 'partner-gb', marketplaceIds: [gb] });
  }, 180_000);
  afterAll(async () => {
    await t?.close();
  });

  async function marketplaceOf(typename: string, id: number): Promise<number | null | undefined> {
    const bound = BOUND[typename];
    if (!bound) return undefined;
    const row = await one<{ m: number | null }>(`SELECT ${bound.market} AS m FROM ${bound.from} WHERE ${bound.id} = $1`, id);
    return row?.m ?? null;
  }

  test('every node type is known to be marketplace-bound or not', () => {
    const nodeTypes = Object.values(schema.getTypeMap())
      .filter((type) => isObjectType(type) && type.getInterfaces().some((i) => i.name === 'Node'))
      .map((type) => type.name)
      .sort();
    expect(nodeTypes).toEqual([...Object.keys(BOUND), ...UNBOUND].sort());
  });

  test('no generated path shows a row of another marketplace; the same paths do show them without the limit', async () => {
    const queries = generatedQueries(partner);
    expect(queries.length).toBeGreaterThan(40);
    const seenTypes = new Set<string>();
    let foreignWithoutLimit = 0;
    const unlimited = viewerFor('partner', { name: 'partner-all' });
    for (const { label, query } of queries) {
      const result = await t.gql(query, {}, partner);
      expect(result.errors?.filter((e) => e.extensions?.code !== 'FORBIDDEN') ?? [], label).toEqual([]);
      for (const id of collectIds(result.data)) {
        const { typename, id: raw } = decodeGlobalID(id);
        seenTypes.add(typename);
        const market = await marketplaceOf(typename, Number(raw));
        if (market !== undefined) expect({ label, typename, id: raw, market }).toEqual({ label, typename, id: raw, market: gb });
      }
      // Control: a partner key with no marketplace limit reaches DE rows through the same queries.
      const control = await t.gql(query, {}, unlimited);
      for (const id of collectIds(control.data)) {
        const { typename, id: raw } = decodeGlobalID(id);
        if ((await marketplaceOf(typename, Number(raw))) === de) foreignWithoutLimit++;
      }
    }
    expect(foreignWithoutLimit).toBeGreaterThan(0);
    for (const typename of ['Listing', 'Marketplace', 'ListingOffer', 'SalesDay', 'AsinEntity', 'KeepaSnapshot', 'Bom', 'BomLine', 'Recommendation', 'RecommendationEvent', 'FeatureSnapshot', 'ListingEvent', 'Component']) {
      expect(seenTypes, typename).toContain(typename);
    }
  }, 600_000);

  test('root lists filter in SQL: totalCount agrees with the rows of the partner marketplace', async () => {
    const result = await t.gql(
      `{ listings(first: 100) { totalCount edges { node { id } } } asinEntities(first: 100) { totalCount } listingEvents(first: 1) { totalCount }
         recommendations(first: 100) { totalCount } marketplaces { countryCode } }`,
      {},
      partner,
    );
    expect(result.errors).toBeUndefined();
    const count = async (sql: string) => (await one<{ n: number }>(sql, gb))!.n;
    const listings = await count(`SELECT count(*)::int AS n FROM listings WHERE marketplace_id = $1`);
    expect(result.data.listings.totalCount).toBe(listings);
    expect(result.data.listings.edges).toHaveLength(listings);
    expect(listings).toBeGreaterThan(0);
    expect(listings).toBeLessThan(await count(`SELECT count(*)::int AS n FROM listings WHERE $1::int IS NOT NULL`));
    expect(result.data.asinEntities.totalCount).toBe(await count(`SELECT count(*)::int AS n FROM asin_entities WHERE marketplace_id = $1`));
    expect(result.data.listingEvents.totalCount).toBe(
      await count(`SELECT count(*)::int AS n FROM listing_events e JOIN listings l ON l.id = e.listing_id WHERE l.marketplace_id = $1`),
    );
    expect(result.data.recommendations.totalCount).toBe(await count(`SELECT count(*)::int AS n FROM ${BOUND.Recommendation!.from} WHERE ${BOUND.Recommendation!.market} = $1`));
    expect(result.data.marketplaces).toEqual([{ countryCode: 'GB' }]);
  });

  test('node, nodes and nodeByDatabaseId of a foreign row give null for every marketplace-bound type; listing(sellerSku) too', async () => {
    const dashboard = viewerFor('dashboard');
    for (const [typename, bound] of Object.entries(BOUND)) {
      const row = await one<{ id: number }>(`SELECT ${bound.id} AS id FROM ${bound.from} WHERE ${bound.market} = $1 LIMIT 1`, de);
      if (!row) continue;
      const id = gid(typename, row.id);
      const query = `query($id: ID!, $type: NodeType!, $databaseId: Int!) {
        node(id: $id) { id } nodes(ids: [$id]) { id } byDatabaseId: nodeByDatabaseId(type: $type, databaseId: $databaseId) { id } }`;
      const variables = { id, type: typename, databaseId: row.id };
      const asPartner = await t.gql(query, variables, partner);
      expect({ typename, node: asPartner.data?.node ?? null, nodes: asPartner.data?.nodes, byDatabaseId: asPartner.data?.byDatabaseId ?? null }).toEqual({
        typename,
        node: null,
        nodes: [null],
        byDatabaseId: null,
      });
      const asDashboard = await t.gql(query, variables, dashboard);
      expect({ typename, node: asDashboard.data.node, byDatabaseId: asDashboard.data.byDatabaseId }).toEqual({ typename, node: { id }, byDatabaseId: { id } });
    }
    const foreign = await one<{ seller_sku: string; id: number }>(`SELECT seller_sku, id FROM listings WHERE marketplace_id = $1 LIMIT 1`, de);
    const bySku = await t.gql(`query($sku: String!, $id: ID!) { listing(sellerSku: $sku) { id } byId: listing(id: $id) { id } }`, { sku: foreign!.seller_sku, id: gid('Listing', foreign!.id) }, partner);
    expect(bySku.data).toEqual({ listing: null, byId: null });
  });

  test('a partner granted pricing:write and recommendations:write acts only on its own marketplace', async () => {
    const writer = viewerFor('partner', { name: 'partner-writer', marketplaceIds: [gb], scopes: ['pricing:write', 'recommendations:write'] });
    const foreign = (await one<{ id: number }>(`SELECT id FROM listings WHERE marketplace_id = $1 ORDER BY id LIMIT 1`, de))!.id;
    const foreignRec = (await one<{ id: number }>(`SELECT x.id FROM ${BOUND.Recommendation!.from} WHERE ${BOUND.Recommendation!.market} = $1 AND x.status = 'PENDING' LIMIT 1`, de))?.id;
    const counts = async () => (await one<{ j: number; e: number; r: number }>(`SELECT (SELECT count(*)::int FROM jobs) AS j, (SELECT count(*)::int FROM listing_events) AS e, (SELECT count(*)::int FROM recommendation_events) AS r WHERE $1::int IS NOT NULL`, 1))!;
    const before = await counts();
    const publish = await t.gql(
      `mutation($input: PublishPriceChangeInput!) { publishPriceChange(input: $input) { __typename ... on NotFoundError { entityType } } }`,
      { input: { listingId: gid('Listing', foreign), priceIncVat: '10.00' } },
      writer,
    );
    expect(publish.data.publishPriceChange).toEqual({ __typename: 'NotFoundError', entityType: 'Listing' });
    const preview = await t.gql(
      `mutation($input: PreviewPriceChangeInput!) { previewPriceChange(input: $input) { __typename } }`,
      { input: { listingId: gid('Listing', foreign), priceIncVat: '10.00' } },
      writer,
    );
    expect(preview.data.previewPriceChange.__typename).toBe('NotFoundError');
    if (foreignRec) {
      const viewed = await t.gql(
        `mutation($input: MarkRecommendationViewedInput!) { markRecommendationViewed(input: $input) { __typename } }`,
        { input: { recommendationId: gid('Recommendation', foreignRec) } },
        writer,
      );
      expect(viewed.data.markRecommendationViewed.__typename).toBe('NotFoundError');
    }
    expect(await counts()).toEqual(before);
    // The same call on its own marketplace reaches the mutation (a guardrail or a payload, not NotFound).
    const own = (await one<{ id: number }>(`SELECT id FROM listings WHERE marketplace_id = $1 ORDER BY id LIMIT 1`, gb))!.id;
    const ownPreview = await t.gql(
      `mutation($input: PreviewPriceChangeInput!) { previewPriceChange(input: $input) { __typename } }`,
      { input: { listingId: gid('Listing', own), priceIncVat: '10.00' } },
      writer,
    );
    expect(ownPreview.data.previewPriceChange.__typename).toBe('PriceChangePreview');
  });
});
