import { describe, expect, it } from 'vitest';
import { backends } from '../support/databases.js';
import { decodeGid as decodeId, gid as globalId } from '../support/global-id.js';
import { dec, useSeededReads } from '../support/read-queries.js';

/** One clock for the whole file: the seed dates its rows from the same UTC day. */
const NOW = new Date();

describe.each(backends)('reading the catalogue: marketplaces, suppliers and components (%s)', (kind) => {
  const { app, ok, measured, sql } = useSeededReads(kind, NOW);

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
      const wrong = await app().gql(query, { f: { supplierId: globalId('Marketplace', 1) } });
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
});
