/** Keepa and catalog snapshots of an ASIN entity. */
import { type Ctx } from './context.js';
import { Rng } from './random.js';
import { DAY, gbp, HOUR, keepaTime, percentile, r2, r3, ts } from './units.js';

export interface KeepaMetrics {
  price_current: number;
  price_median_90d: number;
  price_p25_90d: number;
  price_p75_90d: number;
  volatility_90d: number;
  sales_rank_current: number;
  sales_rank_trend_90d: number;
  offers_count_current: number;
  buy_box_price: number;
}

export function addKeepa(ctx: Ctx, rng: Rng, entityId: number, asin: string, marketplaceId: number, centrePence: number): KeepaMetrics {
  const { D } = ctx;
  const capturedAt = D - DAY + 3 * HOUR + rng.int(0, 3599) * 1000;
  const points = rng.int(12, 40);
  const spread = rng.pick([0.02, 0.05, 0.08, 0.15, 0.25]);
  const priceCsv: number[] = [];
  const rankCsv: number[] = [];
  const prices: number[] = [];
  const ranks: number[] = [];
  let rank = rng.int(2_000, 400_000);
  for (let k = 0; k < points; k++) {
    const at = capturedAt - 90 * DAY + Math.floor(((k + 0.5) * 90 * DAY) / points);
    const p = Math.max(99, Math.round(centrePence * (1 + spread * rng.gauss() * 0.6)));
    rank = Math.max(50, Math.round(rank * (1 + 0.15 * rng.gauss())));
    prices.push(p);
    ranks.push(rank);
    priceCsv.push(keepaTime(at), p);
    rankCsv.push(keepaTime(at), rank);
  }
  const sorted = [...prices].sort((a, b) => a - b);
  const mean = prices.reduce((s, p) => s + p, 0) / prices.length;
  const sd = Math.sqrt(prices.reduce((s, p) => s + (p - mean) ** 2, 0) / prices.length);
  const half = Math.floor(ranks.length / 2);
  const m1 = ranks.slice(0, half).reduce((s, r) => s + r, 0) / half;
  const m2 = ranks.slice(half).reduce((s, r) => s + r, 0) / (ranks.length - half);
  const offers = rng.int(1, 25);
  const current = prices[prices.length - 1]!;
  const metrics: KeepaMetrics = {
    price_current: gbp(current),
    price_median_90d: r2(percentile(sorted, 0.5) / 100),
    price_p25_90d: r2(percentile(sorted, 0.25) / 100),
    price_p75_90d: r2(percentile(sorted, 0.75) / 100),
    volatility_90d: r3(sd / mean),
    sales_rank_current: rank,
    sales_rank_trend_90d: r3((m2 - m1) / m1),
    offers_count_current: offers,
    buy_box_price: gbp(Math.max(99, current - rng.int(0, 50))),
  };
  ctx.tables.keepa_snapshots.push({
    id: ctx.ids.take('keepa_snapshots'), asin, marketplace_id: marketplaceId, asin_entity_id: entityId,
    raw_json: { asin, domainId: marketplaceId === ctx.ukId ? 2 : 3, lastUpdate: keepaTime(capturedAt), source: 'seed' },
    parsed_json: { metrics, csv: { '1': priceCsv, '3': rankCsv } },
    captured_at: ts(capturedAt), created_at: ts(capturedAt + 1000),
  });
  return metrics;
}

export function addCatalog(ctx: Ctx, rng: Rng, entityId: number, asin: string, marketplaceId: number, title: string, brand: string, category: string): void {
  const capturedAt = ctx.D - rng.int(1, 20) * DAY + 4 * HOUR;
  ctx.tables.amazon_catalog_snapshots.push({
    id: ctx.ids.take('amazon_catalog_snapshots'), asin, marketplace_id: marketplaceId, asin_entity_id: entityId,
    raw_json: { asin, summaries: [{ itemName: title, brand }], source: 'seed' },
    parsed_json: { title, brand, category },
    captured_at: ts(capturedAt), created_at: ts(capturedAt + 1000),
  });
}

