import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../../src/schema/index.js';
import { backends } from '../support/databases.js';
import { decodeGid as decodeId, gid as globalId } from '../support/global-id.js';
import { createTestApp, type TestApp } from '../support/graphql.js';
import { readQueries } from '../support/read-queries.js';

/** One clock for the whole file: the seed dates its rows from the same UTC day. */
const NOW = new Date();

describe.each(backends)('reading settings, and node(id:) for every type (%s)', (kind) => {
  let t: TestApp;
  const { ok, sql } = readQueries(() => t);

  beforeAll(async () => {
    t = await createTestApp(kind, { seedListings: 15, clock: () => NOW });
  });

  afterAll(async () => {
    await t?.close();
  });

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
