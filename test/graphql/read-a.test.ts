import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bomCost, lineCost } from '../../src/domain/economics.js';
import { Decimal } from '../../src/domain/money.js';
import { schema } from '../../src/schema/index.js';
import { backends } from '../support/databases.js';
import { createTestApp, type TestApp } from '../support/graphql.js';

/** One clock for the whole file: the seed dates its rows from the same UTC day. */
const NOW = new Date();
const DAY_MS = 86_400_000;

function isoDay(offsetDays: number): string {
  const midnight = Date.UTC(NOW.getUTCFullYear(), NOW.getUTCMonth(), NOW.getUTCDate());
  return new Date(midnight + offsetDays * DAY_MS).toISOString().slice(0, 10);
}

function globalId(type: string, id: number | string): string {
  return Buffer.from(`${type}:${id}`).toString('base64');
}

function decodeId(id: string): string {
  return Buffer.from(id, 'base64').toString('utf8');
}

/** Decimal strings compared by value ("0.2" equals "0.20"). */
function dec(value: string | number | null | undefined): string | null {
  return value === null || value === undefined ? null : new Decimal(String(value)).toFixed();
}

/** SELECT statements Prisma sent (the harness records everything, BEGIN/COMMIT included). */
function selects(statements: string[]): string[] {
  return statements.filter((sql) => /^\s*select/i.test(sql));
}

describe.each(backends)('read-a: catalogue, BOMs, offers, sales and settings (%s)', (kind) => {
  let t: TestApp;

  async function sql<T = Record<string, unknown>>(query: string, ...params: unknown[]): Promise<T[]> {
    return t.db.prisma.$queryRawUnsafe<T[]>(query, ...params);
  }

  async function ok<T = any>(query: string, variables?: Record<string, unknown>): Promise<T> {
    const response = await t.gql<T>(query, variables);
    expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
    return response.data as T;
  }

  /** Runs a query and returns its data and the SELECTs it issued. */
  async function measured<T = any>(query: string, variables?: Record<string, unknown>): Promise<{ data: T; selects: string[] }> {
    t.statements.length = 0;
    const data = await ok<T>(query, variables);
    const issued = selects([...t.statements]);
    if (process.env.READ_A_DEBUG) console.info(issued.map((q) => q.slice(0, 160)).join('\n'));
    return { data, selects: issued };
  }

  beforeAll(async () => {
    t = await createTestApp(kind, { seedListings: 15, clock: () => NOW });
  });

  afterAll(async () => {
    await t?.close();
  });

  // ---------------------------------------------------------------------------------------------
  describe('marketplaces', () => {
    it('lists every marketplace by id with all columns', async () => {
      const rows = await sql<{ id: number; amazon_marketplace_id: string; name: string; country_code: string; currency_code: string; vat_rate: string; is_active: boolean }>(
        'SELECT id, amazon_marketplace_id, name, country_code, currency_code, vat_rate::text AS vat_rate, is_active FROM marketplaces ORDER BY id',
      );
      expect(rows.length).toBeGreaterThan(0);
      const data = await ok(`{ marketplaces { id databaseId amazonMarketplaceId name countryCode currencyCode vatRate isActive createdAt updatedAt } }`);
      expect(data.marketplaces).toHaveLength(rows.length);
      data.marketplaces.forEach((m: any, i: number) => {
        const row = rows[i]!;
        expect(decodeId(m.id)).toBe(`Marketplace:${row.id}`);
        expect(m).toMatchObject({
          databaseId: row.id,
          amazonMarketplaceId: row.amazon_marketplace_id,
          name: row.name,
          countryCode: row.country_code,
          currencyCode: row.currency_code,
          isActive: row.is_active,
        });
        expect(dec(m.vatRate)).toBe(dec(row.vat_rate));
      });
    });

    it('Listing.marketplace resolves the relation for a page of listings without a query per listing', async () => {
      const rows = await sql<{ id: number; marketplace_id: number | null }>('SELECT id, marketplace_id FROM listings');
      const byId = new Map(rows.map((r) => [r.id, r.marketplace_id]));
      const { data, selects: sqls } = await measured(`{ listings(first: 15) { edges { node { databaseId marketplace { databaseId name } } } } }`);
      expect(data.listings.edges).toHaveLength(15);
      for (const { node } of data.listings.edges) {
        expect(node.marketplace?.databaseId ?? null).toBe(byId.get(node.databaseId) ?? null);
      }
      expect(sqls.filter((s) => /"marketplaces"/.test(s))).toHaveLength(1);
    });
  });

  // ---------------------------------------------------------------------------------------------
  describe('suppliers and components', () => {
    it('suppliers: totalCount, forward and backward pagination with stable cursors', async () => {
      const ids = (await sql<{ id: number }>('SELECT id FROM suppliers ORDER BY id')).map((r) => r.id);
      expect(ids.length).toBeGreaterThanOrEqual(5);
      const page = `query($first: Int, $after: String, $last: Int, $before: String) {
        suppliers(first: $first, after: $after, last: $last, before: $before) {
          totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
          edges { cursor node { databaseId } }
        } }`;
      const seen: number[] = [];
      const cursors: string[] = [];
      let after: string | null = null;
      for (;;) {
        const data: any = await ok(page, { first: 2, after });
        expect(data.suppliers.totalCount).toBe(ids.length);
        seen.push(...data.suppliers.edges.map((e: any) => e.node.databaseId));
        cursors.push(...data.suppliers.edges.map((e: any) => e.cursor));
        if (!data.suppliers.pageInfo.hasNextPage) break;
        after = data.suppliers.pageInfo.endCursor;
      }
      expect(seen).toEqual(ids);

      // Backwards from the end, two at a time, gives the same order and the same cursors.
      const back: number[] = [];
      const backCursors: string[] = [];
      let before: string | null = null;
      for (;;) {
        const data: any = await ok(page, { last: 2, before });
        back.unshift(...data.suppliers.edges.map((e: any) => e.node.databaseId));
        backCursors.unshift(...data.suppliers.edges.map((e: any) => e.cursor));
        if (!data.suppliers.pageInfo.hasPreviousPage) break;
        before = data.suppliers.pageInfo.startCursor;
      }
      expect(back).toEqual(ids);
      expect(backCursors).toEqual(cursors);

      // A cursor in the middle: the page after it starts right after that supplier.
      const mid = await ok(page, { first: 3, after: cursors[1] });
      expect(mid.suppliers.edges.map((e: any) => e.node.databaseId)).toEqual(ids.slice(2, 5));
      expect(mid.suppliers.pageInfo.hasPreviousPage).toBe(true);
    });

    it('suppliers: search (case-insensitive) and isActive filters', async () => {
      const [first] = await sql<{ name: string }>('SELECT name FROM suppliers ORDER BY id LIMIT 1');
      const needle = first!.name.slice(1, 6).toUpperCase();
      const expected = await sql<{ id: number }>(
        `SELECT id FROM suppliers WHERE name ILIKE $1 OR contact_name ILIKE $1 OR email ILIKE $1 ORDER BY id`,
        `%${needle}%`,
      );
      const data = await ok(`query($s: String) { suppliers(first: 100, filter: { search: $s }) { totalCount edges { node { databaseId name } } } }`, { s: needle });
      expect(data.suppliers.totalCount).toBe(expected.length);
      expect(data.suppliers.edges.map((e: any) => e.node.databaseId)).toEqual(expected.map((r) => r.id));

      for (const isActive of [true, false]) {
        const rows = await sql<{ id: number }>('SELECT id FROM suppliers WHERE is_active = $1 ORDER BY id', isActive);
        const res = await ok(`query($a: Boolean) { suppliers(first: 100, filter: { isActive: $a }) { totalCount edges { node { databaseId isActive } } } }`, { a: isActive });
        expect(res.suppliers.totalCount).toBe(rows.length);
        expect(res.suppliers.edges.map((e: any) => e.node.databaseId)).toEqual(rows.map((r) => r.id));
      }
    });

    it('Supplier exposes every column and its components connection', async () => {
      const [row] = await sql<any>(
        `SELECT s.*, minimum_order_value::text AS mov, (SELECT count(*)::int FROM components c WHERE c.supplier_id = s.id) AS n
           FROM suppliers s ORDER BY (SELECT count(*) FROM components c WHERE c.supplier_id = s.id) DESC, id LIMIT 1`,
      );
      const componentIds = (await sql<{ id: number }>('SELECT id FROM components WHERE supplier_id = $1 ORDER BY id', row.id)).map((r) => r.id);
      const data = await ok(`query($s: String) { suppliers(first: 5, filter: { search: $s }) { edges { node {
          id databaseId name contactName email phone website address currencyCode leadTimeDays minimumOrderValue paymentTerms notes rating isActive
          components(first: 100) { totalCount edges { node { databaseId supplier { databaseId } } } } } } } }`, { s: row.name });
      const node = data.suppliers.edges.map((e: any) => e.node).find((n: any) => n.databaseId === row.id);
      expect(node).toMatchObject({
        name: row.name,
        contactName: row.contact_name,
        email: row.email,
        phone: row.phone,
        website: row.website,
        address: row.address,
        currencyCode: row.currency_code,
        leadTimeDays: row.lead_time_days,
        paymentTerms: row.payment_terms,
        notes: row.notes,
        rating: row.rating,
        isActive: row.is_active,
      });
      expect(dec(node.minimumOrderValue)).toBe(dec(row.mov));
      expect(node.components.totalCount).toBe(row.n);
      expect(node.components.edges.map((e: any) => e.node.databaseId)).toEqual(componentIds);
      expect(node.components.edges.every((e: any) => e.node.supplier.databaseId === row.id)).toBe(true);
    });

    it('components: every filter, alone and combined, with totalCount', async () => {
      const all = await sql<{ id: number; component_sku: string; name: string; supplier_id: number | null; is_active: boolean; category: string | null }>(
        'SELECT id, component_sku, name, supplier_id, is_active, category FROM components ORDER BY id',
      );
      const query = `query($f: ComponentFilter) { components(first: 100, filter: $f) { totalCount edges { node { databaseId } } } }`;
      const check = async (filter: Record<string, unknown>, expected: number[]) => {
        const data = await ok(query, { f: filter });
        expect(data.components.totalCount).toBe(expected.length);
        expect(data.components.edges.map((e: any) => e.node.databaseId)).toEqual(expected);
      };
      const noFilter = await ok(query, {});
      expect(noFilter.components.totalCount).toBe(all.length);

      const sample = all[3]!;
      const skuNeedle = sample.component_sku.toLowerCase();
      await check({ search: skuNeedle }, all.filter((c) => c.component_sku.toLowerCase().includes(skuNeedle) || c.name.toLowerCase().includes(skuNeedle)).map((c) => c.id));
      const nameNeedle = sample.name.split(' ')[0]!.toUpperCase();
      await check({ search: nameNeedle }, all.filter((c) => c.component_sku.toLowerCase().includes(nameNeedle.toLowerCase()) || c.name.toLowerCase().includes(nameNeedle.toLowerCase())).map((c) => c.id));

      const supplierId = sample.supplier_id!;
      await check({ supplierId: globalId('Supplier', supplierId) }, all.filter((c) => c.supplier_id === supplierId).map((c) => c.id));
      await check({ isActive: false }, all.filter((c) => c.is_active === false).map((c) => c.id));
      await check({ isActive: true }, all.filter((c) => c.is_active === true).map((c) => c.id));
      await check({ category: sample.category!.toUpperCase() }, all.filter((c) => c.category === sample.category).map((c) => c.id));
      await check(
        { category: sample.category, isActive: true, supplierId: globalId('Supplier', supplierId) },
        all.filter((c) => c.category === sample.category && c.is_active && c.supplier_id === supplierId).map((c) => c.id),
      );
      await check({ search: 'no-such-component-anywhere' }, []);

      // A global ID of another type is refused, naming the argument.
      const wrong = await t.gql(query, { f: { supplierId: globalId('Marketplace', 1) } });
      expect(wrong.errors?.[0]?.message).toMatch(/filter\.supplierId/);
    });

    it('components: backwards pagination matches forwards', async () => {
      const ids = (await sql<{ id: number }>('SELECT id FROM components ORDER BY id')).map((r) => r.id);
      const data = await ok(`{ components(last: 5) { totalCount pageInfo { hasPreviousPage hasNextPage startCursor } edges { node { databaseId } } } }`);
      expect(data.components.edges.map((e: any) => e.node.databaseId)).toEqual(ids.slice(-5));
      expect(data.components.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: false });
      const prev = await ok(`query($b: String) { components(last: 5, before: $b) { edges { node { databaseId } } } }`, { b: data.components.pageInfo.startCursor });
      expect(prev.components.edges.map((e: any) => e.node.databaseId)).toEqual(ids.slice(-10, -5));
    });

    it('Component exposes its columns, supplier, bomLines and the BOMs that use it (paged)', async () => {
      const [row] = await sql<any>(
        `SELECT c.*, unit_cost_ex_vat::text AS cost, weight_grams::text AS weight,
                (SELECT count(*)::int FROM bom_lines l WHERE l.component_id = c.id) AS n
           FROM components c ORDER BY (SELECT count(*) FROM bom_lines l WHERE l.component_id = c.id) DESC, id LIMIT 1`,
      );
      expect(row.n).toBeGreaterThanOrEqual(2);
      const lines = await sql<{ id: number; bom_id: number }>('SELECT id, bom_id FROM bom_lines WHERE component_id = $1 ORDER BY id', row.id);
      const q = `query($s: String, $after: String) { components(first: 1, filter: { search: $s }) { edges { node {
          databaseId componentSku name description category supplierSku unitCostExVat unitOfMeasure packSize weightGrams dimensionsCm
          minStockLevel currentStock reorderPoint priceHistory isActive supplier { databaseId }
          bomLines(first: 100) { totalCount edges { node { databaseId bom { databaseId } } } }
          boms(first: 1, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { databaseId } } } } } } }`;
      const data = await ok(q, { s: row.component_sku });
      const node = data.components.edges[0].node;
      expect(node).toMatchObject({
        databaseId: row.id,
        componentSku: row.component_sku,
        name: row.name,
        description: row.description,
        category: row.category,
        supplierSku: row.supplier_sku,
        unitOfMeasure: row.unit_of_measure,
        packSize: row.pack_size,
        minStockLevel: row.min_stock_level,
        currentStock: row.current_stock,
        reorderPoint: row.reorder_point,
        isActive: row.is_active,
        dimensionsCm: row.dimensions_cm,
        priceHistory: row.price_history,
      });
      expect(node.supplier?.databaseId ?? null).toBe(row.supplier_id);
      expect(dec(node.unitCostExVat)).toBe(dec(row.cost));
      expect(dec(node.weightGrams)).toBe(dec(row.weight));
      expect(node.bomLines.totalCount).toBe(row.n);
      expect(node.bomLines.edges.map((e: any) => e.node.databaseId)).toEqual(lines.map((l) => l.id));
      expect(node.bomLines.edges.map((e: any) => e.node.bom.databaseId)).toEqual(lines.map((l) => l.bom_id));

      // boms: page through one at a time.
      const bomIds: number[] = [];
      let after: string | null = null;
      for (;;) {
        const page: any = await ok(q, { s: row.component_sku, after });
        const boms = page.components.edges[0].node.boms;
        expect(boms.totalCount).toBe(row.n);
        bomIds.push(...boms.edges.map((e: any) => e.node.databaseId));
        if (!boms.pageInfo.hasNextPage) break;
        after = boms.pageInfo.endCursor;
      }
      expect(bomIds).toEqual(lines.map((l) => l.bom_id));
    });
  });

  // ---------------------------------------------------------------------------------------------
  describe('BOMs', () => {
    const LISTING_BOMS = `query($first: Int) { listings(first: $first, orderBy: { field: SELLER_SKU, direction: ASC }) { edges { node {
        databaseId
        activeBom { id databaseId scopeType version isActive effectiveFrom effectiveTo notes
          owner { __typename ... on Listing { databaseId } }
          costRollup { bomCostExVat lineCount }
          lines { databaseId quantity wastageRate notes lineCostExVat component { databaseId unitCostExVat } } }
      } } } }`;

    async function activeBomLines(): Promise<Map<number, { bomId: number; version: number; lines: Array<{ id: number; quantity: string; wastage: string | null; cost: string }> }>> {
      const rows = await sql<{ listing_id: number; bom_id: number; version: number; line_id: number | null; quantity: string | null; wastage: string | null; cost: string | null }>(
        `SELECT b.listing_id, b.id AS bom_id, b.version, l.id AS line_id, l.quantity::text AS quantity, l.wastage_rate::text AS wastage, c.unit_cost_ex_vat::text AS cost
           FROM boms b LEFT JOIN bom_lines l ON l.bom_id = b.id LEFT JOIN components c ON c.id = l.component_id
          WHERE b.is_active AND b.scope_type = 'LISTING' ORDER BY b.listing_id, l.id`,
      );
      const map = new Map<number, { bomId: number; version: number; lines: Array<{ id: number; quantity: string; wastage: string | null; cost: string }> }>();
      for (const r of rows) {
        const entry = map.get(r.listing_id) ?? { bomId: r.bom_id, version: r.version, lines: [] };
        if (r.line_id !== null) entry.lines.push({ id: r.line_id, quantity: r.quantity!, wastage: r.wastage, cost: r.cost! });
        map.set(r.listing_id, entry);
      }
      return map;
    }

    it('Listing.activeBom with lines and a roll-up equal to the domain bomCost of the stored lines', async () => {
      const expected = await activeBomLines();
      const data = await ok(LISTING_BOMS, { first: 15 });
      let withBom = 0;
      for (const { node } of data.listings.edges) {
        const want = expected.get(node.databaseId);
        if (!want) {
          expect(node.activeBom).toBeNull();
          continue;
        }
        withBom += 1;
        const bom = node.activeBom;
        expect(decodeId(bom.id)).toBe(`Bom:${want.bomId}`);
        expect(bom).toMatchObject({ databaseId: want.bomId, version: want.version, isActive: true, scopeType: 'LISTING', effectiveTo: null });
        expect(bom.owner).toEqual({ __typename: 'Listing', databaseId: node.databaseId });
        expect(bom.lines.map((l: any) => l.databaseId)).toEqual(want.lines.map((l) => l.id));
        const domainLines = want.lines.map((l) => ({ quantity: l.quantity, wastageRate: l.wastage, unitCostExVat: l.cost }));
        expect(bom.costRollup).toEqual({ bomCostExVat: bomCost(domainLines).toFixed(2), lineCount: want.lines.length });
        bom.lines.forEach((line: any, i: number) => {
          expect(dec(line.quantity)).toBe(dec(want.lines[i]!.quantity));
          expect(dec(line.component.unitCostExVat)).toBe(dec(want.lines[i]!.cost));
          expect(line.lineCostExVat).toBe(lineCost(domainLines[i]!).toFixed());
        });
        // The exact line costs add up to the roll-up before its single rounding.
        const sum = bom.lines.reduce((s: Decimal, l: any) => s.plus(l.lineCostExVat), new Decimal(0));
        expect(sum.toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2)).toBe(bom.costRollup.bomCostExVat);
      }
      expect(withBom).toBeGreaterThan(5);
    });

    it('the roll-up on a page of listings issues the same number of SELECTs for 3 and for 15 listings', async () => {
      const small = await measured(LISTING_BOMS, { first: 3 });
      const large = await measured(LISTING_BOMS, { first: 15 });
      expect(large.data.listings.edges).toHaveLength(15);
      expect(large.selects.length).toBe(small.selects.length);
      // boms, bom_lines and components are each read once for the whole page.
      expect(large.selects.filter((s) => /FROM "public"\."boms"/.test(s))).toHaveLength(1);
      expect(large.selects.filter((s) => /FROM "public"\."bom_lines"/.test(s)).length).toBeLessThanOrEqual(1);
      expect(large.selects.filter((s) => /FROM "public"\."components"/.test(s)).length).toBeLessThanOrEqual(1);
      console.info(`[read-a ${kind}] listings(15) activeBom+lines+costRollup: ${large.selects.length} SELECTs`);
    });

    it('Listing.boms: every version, newest first, with totalCount and paging', async () => {
      const [listing] = await sql<{ listing_id: number; n: number }>(
        `SELECT listing_id, count(*)::int AS n FROM boms WHERE listing_id IS NOT NULL GROUP BY listing_id ORDER BY count(*) DESC, listing_id LIMIT 1`,
      );
      const versions = await sql<{ id: number; version: number }>('SELECT id, version FROM boms WHERE listing_id = $1 ORDER BY version DESC', listing!.listing_id);
      expect(versions.length).toBeGreaterThanOrEqual(2);
      const q = `query($id: ID, $after: String) { listing(id: $id) { boms(first: 1, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { databaseId version isActive } } } } }`;
      const seen: number[] = [];
      let after: string | null = null;
      for (;;) {
        const data: any = await ok(q, { id: globalId('Listing', listing!.listing_id), after });
        expect(data.listing.boms.totalCount).toBe(versions.length);
        seen.push(...data.listing.boms.edges.map((e: any) => e.node.version));
        if (!data.listing.boms.pageInfo.hasNextPage) break;
        after = data.listing.boms.pageInfo.endCursor;
      }
      expect(seen).toEqual(versions.map((v) => v.version));
      const all = await ok(`query($id: ID) { listing(id: $id) { boms(first: 10) { edges { node { version isActive } } } } }`, { id: globalId('Listing', listing!.listing_id) });
      expect(all.listing.boms.edges.map((e: any) => e.node.isActive)).toEqual(versions.map((_, i) => i === 0));
    });

    it('Bom.owner is the AsinEntity for ASIN_SCENARIO BOMs', async () => {
      const scenario = await sql<{ id: number; asin_entity_id: number; asin: string }>(
        `SELECT b.id, b.asin_entity_id, a.asin FROM boms b JOIN asin_entities a ON a.id = b.asin_entity_id WHERE b.scope_type = 'ASIN_SCENARIO' ORDER BY b.id LIMIT 1`,
      );
      expect(scenario).toHaveLength(1);
      const { id, asin_entity_id: entityId } = scenario[0]!;
      const data = await ok(`{ asinEntities(first: 100) { edges { node { databaseId boms { databaseId scopeType listing { databaseId } owner { __typename ... on AsinEntity { databaseId } ... on Listing { databaseId } } costRollup { lineCount } } } } } }`);
      const entity = data.asinEntities.edges.map((e: any) => e.node).find((n: any) => n.databaseId === entityId);
      const bom = entity.boms.find((b: any) => b.databaseId === id);
      expect(bom).toMatchObject({ scopeType: 'ASIN_SCENARIO', listing: null, owner: { __typename: 'AsinEntity', databaseId: entityId } });
      const [count] = await sql<{ n: number }>('SELECT count(*)::int AS n FROM bom_lines WHERE bom_id = $1', id);
      expect(bom.costRollup.lineCount).toBe(count!.n);
    });
  });

  // ---------------------------------------------------------------------------------------------
  describe('offers, cost overrides and fee snapshots', () => {
    const Q = `query($first: Int) { listings(first: $first, orderBy: { field: SELLER_SKU, direction: ASC }) { edges { node {
        databaseId
        offer { id databaseId priceIncVat availableQuantity buyBoxStatus buyBoxPercentage30d buyBoxPrice isBuyBoxWinner observedAt listing { databaseId } }
        costOverride { id databaseId shippingCostExVat packagingCostExVat handlingCostExVat otherCostExVat notes }
        latestFeeSnapshot { databaseId totalFeeExVat capturedAt }
        feeSnapshots(first: 100) { totalCount edges { node { databaseId priceIncVat referralFeeExVat totalFeeExVat fulfillmentChannel capturedAt } } }
      } } } }`;

    it('expose the rows of each listing with the right values and order', async () => {
      const offers = new Map(
        (await sql<any>(`SELECT listing_id, price_inc_vat::text AS price, available_quantity, buy_box_status::text AS status, buy_box_percentage_30d::text AS pct, buy_box_price::text AS bbp, is_buy_box_winner FROM listing_offer_current`)).map((r) => [r.listing_id, r]),
      );
      const overrides = new Map(
        (await sql<any>(`SELECT id, listing_id, shipping_cost_ex_vat::text AS s, packaging_cost_ex_vat::text AS p, handling_cost_ex_vat::text AS h, other_cost_ex_vat::text AS o, notes FROM listing_cost_overrides`)).map((r) => [r.listing_id, r]),
      );
      const fees = await sql<{ id: number; listing_id: number; total: string }>(
        `SELECT id, listing_id, total_fee_ex_vat::text AS total FROM fee_snapshots ORDER BY listing_id, captured_at DESC NULLS LAST, id DESC`,
      );
      const { data, selects: sqls } = await measured(Q, { first: 15 });
      let offersSeen = 0;
      let feesSeen = 0;
      for (const { node } of data.listings.edges) {
        const offer = offers.get(node.databaseId);
        if (offer) {
          offersSeen += 1;
          expect(decodeId(node.offer.id)).toBe(`ListingOffer:${node.databaseId}`);
          expect(node.offer).toMatchObject({ databaseId: node.databaseId, availableQuantity: offer.available_quantity, buyBoxStatus: offer.status, isBuyBoxWinner: offer.is_buy_box_winner, listing: { databaseId: node.databaseId } });
          expect(dec(node.offer.priceIncVat)).toBe(dec(offer.price));
          expect(dec(node.offer.buyBoxPercentage30d)).toBe(dec(offer.pct));
          expect(dec(node.offer.buyBoxPrice)).toBe(dec(offer.bbp));
        } else {
          expect(node.offer).toBeNull();
        }
        const override = overrides.get(node.databaseId);
        if (override) {
          expect(node.costOverride.databaseId).toBe(override.id);
          expect([node.costOverride.shippingCostExVat, node.costOverride.packagingCostExVat, node.costOverride.handlingCostExVat, node.costOverride.otherCostExVat].map(dec)).toEqual(
            [override.s, override.p, override.h, override.o].map(dec),
          );
          expect(node.costOverride.notes).toBe(override.notes);
        } else {
          expect(node.costOverride).toBeNull();
        }
        const mine = fees.filter((f) => f.listing_id === node.databaseId);
        feesSeen += mine.length;
        expect(node.feeSnapshots.totalCount).toBe(mine.length);
        expect(node.feeSnapshots.edges.map((e: any) => e.node.databaseId)).toEqual(mine.map((f) => f.id));
        expect(node.latestFeeSnapshot?.databaseId ?? null).toBe(mine[0]?.id ?? null);
        expect(dec(node.latestFeeSnapshot?.totalFeeExVat)).toBe(dec(mine[0]?.total));
      }
      expect(offersSeen).toBeGreaterThan(5);
      expect(feesSeen).toBeGreaterThan(0);
      // One read per table for the page, whatever its size.
      for (const table of ['listing_offer_current', 'listing_cost_overrides']) {
        expect(sqls.filter((s) => new RegExp(`FROM "public"\\."${table}"`).test(s)).length, table).toBe(1);
      }
      const small = await measured(Q, { first: 3 });
      expect(sqls.length).toBe(small.selects.length);
      console.info(`[read-a ${kind}] listings(15) offer+costOverride+feeSnapshots+latestFeeSnapshot: ${sqls.length} SELECTs`);
    });

    it('feeSnapshots pages forwards and backwards with stable cursors', async () => {
      const [row] = await sql<{ listing_id: number; n: number }>(`SELECT listing_id, count(*)::int AS n FROM fee_snapshots GROUP BY listing_id ORDER BY count(*) DESC LIMIT 1`);
      expect(row!.n).toBeGreaterThanOrEqual(2);
      const ids = (await sql<{ id: number }>('SELECT id FROM fee_snapshots WHERE listing_id = $1 ORDER BY captured_at DESC NULLS LAST, id DESC', row!.listing_id)).map((r) => r.id);
      const q = `query($id: ID, $first: Int, $after: String, $last: Int, $before: String) { listing(id: $id) {
          feeSnapshots(first: $first, after: $after, last: $last, before: $before) { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { databaseId } } } } }`;
      const id = globalId('Listing', row!.listing_id);
      const first = await ok(q, { id, first: 1 });
      expect(first.listing.feeSnapshots.edges.map((e: any) => e.node.databaseId)).toEqual(ids.slice(0, 1));
      const rest = await ok(q, { id, first: 100, after: first.listing.feeSnapshots.pageInfo.endCursor });
      expect(rest.listing.feeSnapshots.edges.map((e: any) => e.node.databaseId)).toEqual(ids.slice(1));
      const last = await ok(q, { id, last: 1 });
      expect(last.listing.feeSnapshots.edges.map((e: any) => e.node.databaseId)).toEqual(ids.slice(-1));
      const beforeLast = await ok(q, { id, last: 100, before: last.listing.feeSnapshots.pageInfo.startCursor });
      expect(beforeLast.listing.feeSnapshots.edges.map((e: any) => e.node.databaseId)).toEqual(ids.slice(0, -1));
      expect(last.listing.feeSnapshots.totalCount).toBe(ids.length);
    });
  });

  // ---------------------------------------------------------------------------------------------
  describe('sales', () => {
    it('salesDays returns the inclusive range, date ascending', async () => {
      const [row] = await sql<{ listing_id: number }>('SELECT listing_id FROM listing_sales_daily GROUP BY listing_id ORDER BY listing_id LIMIT 1');
      const from = isoDay(-10);
      const to = isoDay(-3);
      const rows = await sql<{ id: number; date: string; units: number; revenue: string; sessions: number | null; page_views: number | null; cr: string | null }>(
        `SELECT id, date::text AS date, units, revenue_inc_vat::text AS revenue, sessions, page_views, conversion_rate::text AS cr
           FROM listing_sales_daily WHERE listing_id = $1 AND date BETWEEN $2::date AND $3::date ORDER BY date`,
        row!.listing_id, from, to,
      );
      expect(rows).toHaveLength(8);
      const data = await ok(`query($id: ID, $from: Date!, $to: Date!) { listing(id: $id) { salesDays(from: $from, to: $to) {
          id databaseId date units revenueIncVat sessions pageViews conversionRate listing { databaseId } } } }`, { id: globalId('Listing', row!.listing_id), from, to });
      const days = data.listing.salesDays;
      expect(days.map((d: any) => d.date)).toEqual(rows.map((r) => r.date));
      days.forEach((d: any, i: number) => {
        const r = rows[i]!;
        expect(decodeId(d.id)).toBe(`SalesDay:${r.id}`);
        expect(d).toMatchObject({ databaseId: r.id, units: r.units, sessions: r.sessions, pageViews: r.page_views, listing: { databaseId: row!.listing_id } });
        expect(dec(d.revenueIncVat)).toBe(dec(r.revenue));
        expect(dec(d.conversionRate)).toBe(dec(r.cr));
      });
      // A one-day range and a 366-day range are accepted.
      const one = await ok(`query($id: ID, $d: Date!) { listing(id: $id) { salesDays(from: $d, to: $d) { date } } }`, { id: globalId('Listing', row!.listing_id), d: from });
      expect(one.listing.salesDays).toEqual([{ date: from }]);
      const year = await t.gql(`query($id: ID) { listing(id: $id) { salesDays(from: "${isoDay(-365)}", to: "${isoDay(0)}") { date } } }`, { id: globalId('Listing', row!.listing_id) });
      expect(year.errors).toBeUndefined();
      expect(year.data.listing.salesDays.length).toBe(90);
    });

    it('salesDays refuses from > to and ranges over 366 days, naming the argument', async () => {
      const [row] = await sql<{ id: number }>('SELECT id FROM listings ORDER BY id LIMIT 1');
      const q = `query($id: ID, $from: Date!, $to: Date!) { listing(id: $id) { salesDays(from: $from, to: $to) { date } } }`;
      const reversed = await t.gql(q, { id: globalId('Listing', row!.id), from: isoDay(-1), to: isoDay(-2) });
      expect(reversed.errors?.[0]?.message).toMatch(/"from"/);
      expect(reversed.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'from' });
      const tooLong = await t.gql(q, { id: globalId('Listing', row!.id), from: isoDay(-366), to: isoDay(0) });
      expect(tooLong.errors?.[0]?.message).toMatch(/367 days/);
      expect(tooLong.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'to' });
    });

    it('salesSummary7d/30d equal SQL sums over D−N … D−1, in one grouped query per window for the whole page', async () => {
      const sums = async (days: number) =>
        new Map(
          (
            await sql<{ listing_id: number; units: number; revenue: string; sessions: number | null }>(
              `SELECT listing_id, COALESCE(sum(units), 0)::int AS units, COALESCE(sum(revenue_inc_vat), 0)::text AS revenue, sum(sessions)::int AS sessions
                 FROM listing_sales_daily WHERE date >= $1::date AND date < $2::date GROUP BY listing_id`,
              isoDay(-days), isoDay(0),
            )
          ).map((r) => [r.listing_id, r]),
        );
      const expected = { 7: await sums(7), 30: await sums(30) };
      const { data, selects: sqls } = await measured(`{ listings(first: 15, orderBy: { field: SELLER_SKU, direction: ASC }) { edges { node { databaseId
          s7: salesSummary7d { days from to units revenueIncVat sessions velocityUnitsPerDay }
          s30: salesSummary30d { days from to units revenueIncVat sessions velocityUnitsPerDay } } } } }`);
      let withSales = 0;
      for (const { node } of data.listings.edges) {
        for (const [alias, days] of [['s7', 7], ['s30', 30]] as const) {
          const want = expected[days].get(node.databaseId);
          const units = want?.units ?? 0;
          if (units > 0) withSales += 1;
          expect(node[alias]).toEqual({
            days,
            from: isoDay(-days),
            to: isoDay(-1),
            units,
            revenueIncVat: new Decimal(want?.revenue ?? 0).toFixed(2),
            sessions: want?.sessions ?? null,
            velocityUnitsPerDay: new Decimal(units).dividedBy(days).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2),
          });
        }
      }
      expect(withSales).toBeGreaterThan(5);
      expect(sqls.filter((s) => /FROM "public"\."listing_sales_daily"/.test(s))).toHaveLength(2);
      console.info(`[read-a ${kind}] listings(15) salesSummary7d+30d: ${sqls.length} SELECTs (${sqls.filter((s) => /listing_sales_daily/.test(s)).length} on listing_sales_daily)`);
    });
  });

  // ---------------------------------------------------------------------------------------------
  describe('settings', () => {
    it('settings.all lists every row by key and guardrails reads the seeded values', async () => {
      const rows = await sql<{ id: number; key: string; value: unknown; description: string | null }>('SELECT id, key, value, description FROM settings ORDER BY key');
      const data = await ok(`{ settings { all { id databaseId key value description updatedAt }
          guardrails { minMargin maxPriceChangePctPerDay minDaysOfCoverBeforePriceChange minStockThreshold allowPriceBelowBreakEven defaultVatRate } } }`);
      expect(data.settings.all.map((s: any) => ({ databaseId: s.databaseId, key: s.key, value: s.value, description: s.description }))).toEqual(
        rows.map((r) => ({ databaseId: r.id, key: r.key, value: r.value, description: r.description })),
      );
      expect(decodeId(data.settings.all[0].id)).toBe(`Setting:${rows[0]!.id}`);
      expect(data.settings.guardrails).toEqual({
        minMargin: '0.15',
        maxPriceChangePctPerDay: '0.05',
        minDaysOfCoverBeforePriceChange: 7,
        minStockThreshold: 5,
        allowPriceBelowBreakEven: false,
        defaultVatRate: '0.2',
      });
    });

    it('guardrails follow changed rows and fall back to the defaults for missing or invalid ones', async () => {
      const saved = await sql<{ key: string; value: unknown; description: string | null }>(`SELECT key, value, description FROM settings WHERE key LIKE 'guardrails.%' OR key = 'default_vat_rate'`);
      try {
        await sql(`UPDATE settings SET value = '0.25'::jsonb WHERE key = 'guardrails.min_margin'`);
        await sql(`UPDATE settings SET value = 'true'::jsonb WHERE key = 'guardrails.allow_price_below_break_even'`);
        await sql(`UPDATE settings SET value = '"12"'::jsonb WHERE key = 'guardrails.min_stock_threshold'`);
        await sql(`UPDATE settings SET value = '"lots"'::jsonb WHERE key = 'guardrails.min_days_of_cover_before_price_change'`);
        await sql(`DELETE FROM settings WHERE key IN ('guardrails.max_price_change_pct_per_day', 'default_vat_rate')`);
        const changed = await ok(`{ settings { guardrails { minMargin maxPriceChangePctPerDay minDaysOfCoverBeforePriceChange minStockThreshold allowPriceBelowBreakEven defaultVatRate } } }`);
        expect(changed.settings.guardrails).toEqual({
          minMargin: '0.25',
          maxPriceChangePctPerDay: '0.05',
          minDaysOfCoverBeforePriceChange: 7,
          minStockThreshold: 12,
          allowPriceBelowBreakEven: true,
          defaultVatRate: '0.2',
        });
        await sql(`DELETE FROM settings WHERE key LIKE 'guardrails.%'`);
        const empty = await ok(`{ settings { guardrails { minMargin maxPriceChangePctPerDay minDaysOfCoverBeforePriceChange minStockThreshold allowPriceBelowBreakEven defaultVatRate } } }`);
        expect(empty.settings.guardrails).toEqual({
          minMargin: '0.15',
          maxPriceChangePctPerDay: '0.05',
          minDaysOfCoverBeforePriceChange: 7,
          minStockThreshold: 5,
          allowPriceBelowBreakEven: false,
          defaultVatRate: '0.2',
        });
      } finally {
        await sql(`DELETE FROM settings WHERE key LIKE 'guardrails.%' OR key = 'default_vat_rate'`);
        for (const row of saved) {
          await sql('INSERT INTO settings (key, value, description) VALUES ($1, $2::jsonb, $3)', row.key, JSON.stringify(row.value), row.description);
        }
      }
    });
  });

  // ---------------------------------------------------------------------------------------------
  describe('global IDs', () => {
    it('node(id:) round-trips every node type added here', async () => {
      expect(schema.getQueryType()?.getFields().node).toBeDefined();
      const pick = async (table: string, column = 'id') => (await sql<{ id: number }>(`SELECT ${column} AS id FROM ${table} ORDER BY ${column} LIMIT 1`))[0]!.id;
      const cases: Array<[string, number]> = [
        ['Marketplace', await pick('marketplaces')],
        ['Supplier', await pick('suppliers')],
        ['Component', await pick('components')],
        ['Bom', await pick('boms')],
        ['BomLine', await pick('bom_lines')],
        ['ListingOffer', await pick('listing_offer_current', 'listing_id')],
        ['ListingCostOverride', await pick('listing_cost_overrides')],
        ['FeeSnapshot', await pick('fee_snapshots')],
        ['SalesDay', await pick('listing_sales_daily')],
        ['Setting', await pick('settings')],
      ];
      for (const [type, id] of cases) {
        const data = await ok(`query($id: ID!) { node(id: $id) { __typename id ... on ${type} { databaseId } } }`, { id: globalId(type, id) });
        expect(data.node, type).toEqual({ __typename: type, id: globalId(type, id), databaseId: id });
      }
    });
  });
});
