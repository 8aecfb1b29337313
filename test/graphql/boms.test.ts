import { describe, expect, it } from 'vitest';
import { bomCost, lineCost } from '../../src/domain/economics.js';
import { Decimal } from '../../src/domain/money.js';
import { backends } from '../support/databases.js';
import { decodeGid as decodeId, gid as globalId } from '../support/global-id.js';
import { dec, useSeededReads } from '../support/read-queries.js';

/** One clock for the whole file: the seed dates its rows from the same UTC day. */
const NOW = new Date();

describe.each(backends)('reading BOMs: versions, lines and costs (%s)', (kind) => {
  const { ok, measured, sql } = useSeededReads(kind, NOW);

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
});
