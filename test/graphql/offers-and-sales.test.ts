import { describe, expect, it } from 'vitest';
import { Decimal } from '../../src/domain/money.js';
import { backends } from '../support/databases.js';
import { decodeGid as decodeId, gid as globalId } from '../support/global-id.js';
import { dec, isoDay as isoDayOf, useSeededReads } from '../support/read-queries.js';

/** One clock for the whole file: the seed dates its rows from the same UTC day. */
const NOW = new Date();
const isoDay = (offsetDays: number) => isoDayOf(NOW, offsetDays);

describe.each(backends)('reading offers, cost overrides, fee snapshots and sales (%s)', (kind) => {
  const { app, ok, measured, sql } = useSeededReads(kind, NOW);

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
      const year = await app().gql(`query($id: ID) { listing(id: $id) { salesDays(from: "${isoDay(-365)}", to: "${isoDay(0)}") { date } } }`, { id: globalId('Listing', row!.listing_id) });
      expect(year.errors).toBeUndefined();
      expect(year.data.listing.salesDays.length).toBe(90);
    });

    it('salesDays refuses from > to and ranges over 366 days, naming the argument', async () => {
      const [row] = await sql<{ id: number }>('SELECT id FROM listings ORDER BY id LIMIT 1');
      const q = `query($id: ID, $from: Date!, $to: Date!) { listing(id: $id) { salesDays(from: $from, to: $to) { date } } }`;
      const reversed = await app().gql(q, { id: globalId('Listing', row!.id), from: isoDay(-1), to: isoDay(-2) });
      expect(reversed.errors?.[0]?.message).toMatch(/"from"/);
      expect(reversed.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'from' });
      const tooLong = await app().gql(q, { id: globalId('Listing', row!.id), from: isoDay(-366), to: isoDay(0) });
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
});
