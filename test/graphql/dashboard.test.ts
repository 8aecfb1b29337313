import { print, type GraphQLEnumType } from 'graphql';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { computeEconomics, economicsToStrings } from '../../src/domain/economics.js';
import { Decimal } from '../../src/domain/money.js';
import { schema } from '../../src/schema/index.js';
import { backends } from '../support/databases.js';
import { createTestApp, type TestApp } from '../support/graphql.js';
import { DashboardDocument } from '../operations/generated/graphql.js';

const DASHBOARD = print(DashboardDocument);

/** The bound this project holds itself to: SQL statements for one dashboard page, whatever its size. */
const MAX_STATEMENTS_PER_PAGE = 23;

describe.each(backends)('dashboard query on %s', (kind) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(kind, { seedListings: 60 });
  });
  afterAll(() => t?.close());

  async function statementsFor(first: number, orderBy?: unknown) {
    t.statements.length = 0;
    const result = await t.gql(DASHBOARD, { first, orderBy });
    expect(result.errors).toBeUndefined();
    expect(result.data.listings.edges).toHaveLength(first);
    return { count: t.statements.length, data: result.data };
  }

  test('a page of 5 and a page of 50 issue the same, small number of SQL statements', async () => {
    const small = await statementsFor(5);
    const large = await statementsFor(50);
    expect(large.count).toBe(small.count);
    expect(large.count).toBeLessThanOrEqual(MAX_STATEMENTS_PER_PAGE);
    // The page really is nested: without BOM lines and recommendations the count would prove little.
    const nodes = large.data.listings.edges.map((e: { node: any }) => e.node);
    expect(nodes.some((n: any) => n.activeBom?.lines.length > 1 && n.activeBom.lines[0].component.supplier)).toBe(true);
    expect(nodes.some((n: any) => n.recommendations.length > 0 && n.recommendations[0].events.length > 0)).toBe(true);
    expect(nodes.every((n: any) => n.economics !== null)).toBe(true);
  });

  test('every ordering stays within the bound; a page of 50 in either direction issues what the default page of 50 does', async () => {
    const baseline = (await statementsFor(50)).count;
    const fields = (schema.getType('ListingOrderField') as GraphQLEnumType).getValues().map((v) => v.name);
    expect(fields).toHaveLength(6);
    const fifty: Record<string, number> = {};
    for (const field of fields) {
      for (const direction of ['ASC', 'DESC']) fifty[`${field} ${direction}`] = (await statementsFor(50, { field, direction })).count;
    }
    expect(fifty).toEqual(Object.fromEntries(Object.keys(fifty).map((key) => [key, baseline])));
    expect(baseline).toBeLessThanOrEqual(MAX_STATEMENTS_PER_PAGE);
  });

  test('economics of the demo data equal the domain functions on the same inputs', async () => {
    const { data } = await statementsFor(50);
    for (const { node } of data.listings.edges) {
      const inputs = await economicsInputsBySql(node.databaseId);
      const expected = economicsToStrings(computeEconomics(inputs));
      expect(node.economics).toEqual({
        priceIncVat: expected.priceIncVat,
        priceExVat: expected.priceExVat,
        bomCostExVat: expected.bomCostExVat,
        totalCostExVat: expected.totalCostExVat,
        profitExVat: expected.profitExVat,
        margin: expected.margin,
        breakEvenPriceIncVat: expected.breakEvenPriceIncVat,
        fees: { totalFeeExVat: expected.fees.totalFeeExVat, source: expected.fees.source },
      });
      // The API's figures add up (DOMAIN §1.5): price ex VAT − total cost = profit, exactly.
      // Every seeded listing has a price, so profit is never null here.
      const { priceExVat, totalCostExVat, profitExVat } = node.economics;
      expect(profitExVat).not.toBeNull();
      expect(new Decimal(priceExVat).minus(totalCostExVat).toFixed(2)).toBe(profitExVat);
      expect(node.activeBom?.costRollup.bomCostExVat ?? '0.00').toBe(expected.bomCostExVat);
    }
  });

  /** The economics inputs read with plain SQL, independently of the resolvers' loader. */
  async function economicsInputsBySql(listingId: number) {
    return t.db.driver.withSession(async (s) => {
      const one = async <T>(sql: string) => (await s.query<T>(sql, [listingId])).rows[0];
      const listing = (await one<{ price: string | null; vat: string | null; channel: string | null; category: string | null; offer_price: string | null }>(
        `SELECT l.price_inc_vat::text AS price, m.vat_rate::text AS vat, l.fulfillment_channel AS channel, l.category,
                o.price_inc_vat::text AS offer_price
           FROM listings l LEFT JOIN marketplaces m ON m.id = l.marketplace_id
           LEFT JOIN listing_offer_current o ON o.listing_id = l.id WHERE l.id = $1`,
      ))!;
      const lines = (
        await s.query<{ quantity: string; wastage: string | null; cost: string }>(
          `SELECT bl.quantity::text AS quantity, bl.wastage_rate::text AS wastage, c.unit_cost_ex_vat::text AS cost
             FROM boms b JOIN bom_lines bl ON bl.bom_id = b.id JOIN components c ON c.id = bl.component_id
            WHERE b.listing_id = $1 AND b.is_active AND b.scope_type = 'LISTING'`,
          [listingId],
        )
      ).rows;
      const override = await one<{ s: string; p: string; h: string; o: string }>(
        `SELECT shipping_cost_ex_vat::text AS s, packaging_cost_ex_vat::text AS p, handling_cost_ex_vat::text AS h, other_cost_ex_vat::text AS o
           FROM listing_cost_overrides WHERE listing_id = $1`,
      );
      const fee = await one<{ id: number; price: string; referral: string | null; total: string }>(
        `SELECT id, price_inc_vat::text AS price, referral_fee_ex_vat::text AS referral, total_fee_ex_vat::text AS total
           FROM fee_snapshots WHERE listing_id = $1 ORDER BY captured_at DESC NULLS LAST, id DESC LIMIT 1`,
      );
      const minMargin = (await s.query<{ v: string }>(`SELECT value::text AS v FROM settings WHERE key = 'guardrails.min_margin'`)).rows[0]?.v ?? '0.15';
      return {
        priceIncVat: listing.offer_price ?? listing.price,
        vatRate: listing.vat ?? '0.20',
        bomLines: lines.map((l) => ({ quantity: l.quantity, wastageRate: l.wastage, unitCostExVat: l.cost })),
        overrides: override ? { shipping: override.s, packaging: override.p, handling: override.h, other: override.o } : null,
        feeSnapshot: fee ? { id: Number(fee.id), priceIncVat: fee.price, referralFeeExVat: fee.referral, totalFeeExVat: fee.total } : null,
        fulfillmentChannel: listing.channel,
        category: listing.category,
        minMargin,
      };
    });
  }
});
