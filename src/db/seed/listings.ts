/** One listing with everything hanging off it: BOM versions, costs, sales, offer, snapshots, features, publishes. */
import { addJob, addListingEvent } from './audit-rows.js';
import { type BomLineDraft, drawBomLines } from './boms.js';
import { type Ctx } from './context.js';
import { bomCostPence, bomLinesOf, listingEconomics } from './economics.js';
import { asinFeatures, listingFeatures, type SalesDay } from './features.js';
import { hash2, Rng } from './random.js';
import { generateRecommendations, randomPlan, STATUS_PLANS } from './recommendations.js';
import { addCatalog, addKeepa } from './snapshots.js';
import { asinFor, DAY, divRound, gbp, HOUR, isoDate, MIN, money, pad, r2, ts } from './units.js';
import { ADJECTIVES, BRANDS, CATEGORIES, MEDIA_CATEGORIES, NOUNS, UK_MARKETPLACE } from './vocabulary.js';

export function generateListing(ctx: Ctx, ordinal: number, listingId: number, entityId: number): void {
  const rng = new Rng(hash2(ctx.seed, ordinal));
  const { D, tables } = ctx;
  const [category, subs] = rng.pick(CATEGORIES);
  const subcategory = rng.pick(subs);
  const brand = rng.pick(BRANDS);
  const title = `${brand} ${rng.pick(ADJECTIVES)} ${rng.pick(NOUNS)} – ${subcategory}`;
  const sku = `LH-${pad(listingId, 6)}`;
  const asin = asinFor(entityId);
  const status = ordinal < 2 ? 'active' : rng.weighted([['active', 85], ['inactive', 10], ['archived', 5]] as const);
  const fba = rng.chance(0.3);
  const createdAt = D - rng.int(120, 720) * DAY + rng.int(8 * 3600, 18 * 3600) * 1000;
  const bomChangedAt: number[] = [];

  // BOM versions (1–3): the latest is active, older ones closed at the next version's start.
  const versions = rng.weighted([[1, 5], [2, 3], [3, 2]] as const);
  let activeLines: BomLineDraft[] = [];
  let prevBom: { id: number; version: number; cost: number } | null = null;
  for (let v = 1; v <= versions; v++) {
    const from = createdAt + (v === 1 ? 5 * MIN : Math.floor(((D - createdAt) * (v - 1)) / (versions + 0.5)));
    bomChangedAt.push(from);
    const lines = drawBomLines(ctx, rng);
    const bomId = ctx.ids.take('boms');
    const isActive = v === versions;
    const to = isActive ? null : createdAt + Math.floor(((D - createdAt) * v) / (versions + 0.5));
    tables.boms.push({
      id: bomId, listing_id: listingId, asin_entity_id: null, scope_type: 'LISTING', version: v, is_active: isActive,
      effective_from: ts(from), effective_to: to === null ? null : ts(to), notes: v === 1 ? 'Initial bill of materials' : `Revision ${v}`,
      created_at: ts(from), updated_at: ts(to ?? from),
    });
    for (const l of lines) {
      tables.bom_lines.push({
        id: ctx.ids.take('bom_lines'), bom_id: bomId, component_id: ctx.components[l.componentIdx]!.id,
        quantity: (l.q4 / 10_000).toFixed(4), wastage_rate: (l.w4 / 10_000).toFixed(4), notes: null, created_at: ts(from),
      });
    }
    const cost = bomCostPence(ctx, lines);
    addListingEvent(ctx, {
      listingId, type: 'BOM_UPDATED', at: from + 1000, by: 'user',
      before: prevBom ? { bom_id: prevBom.id, version: prevBom.version, bom_cost_ex_vat: gbp(prevBom.cost) } : null,
      after: { bom_id: bomId, version: v, bom_cost_ex_vat: gbp(cost), line_count: lines.length, operation: v === 1 ? 'create' : 'replace_lines' },
    });
    prevBom = { id: bomId, version: v, cost };
    activeLines = lines;
  }
  const bom = prevBom!.cost;
  const leadTime = Math.max(0, ...activeLines.map((l) => ctx.components[l.componentIdx]!.leadTimeDays)) || 14;

  // Cost overrides (most listings).
  const hasOverride = rng.chance(0.85);
  const ov = hasOverride
    ? { ship: fba ? 0 : rng.int(0, 450), pack: rng.int(10, 120), handling: rng.chance(0.4) ? rng.int(5, 50) : 0, other: rng.chance(0.2) ? rng.int(5, 30) : 0 }
    : { ship: 0, pack: 0, handling: 0, other: 0 };

  // Price from a target margin; fees are 15 % of the ex-VAT price plus fixed parts.
  const fixedFees = (fba ? 250 : 0) + (MEDIA_CATEGORIES.has(category) ? 50 : 0);
  const targetMargin = rng.weighted([[rng.range(0.2, 0.45), 75], [rng.range(0.05, 0.15), 18], [rng.range(-0.15, 0.03), 7]] as const);
  const nonFee = bom + ov.ship + ov.pack + ov.handling + ov.other;
  const rawEx = (nonFee + fixedFees) / Math.max(0.2, 0.85 - targetMargin);
  let priceInc = Math.max(299, Math.round((rawEx * (10_000 + ctx.ukVatBp)) / 10_000));
  priceInc = Math.floor(priceInc / 100) * 100 + rng.pick([49, 95, 99, 99]);
  const referralPence = Math.round(0.15 * divRound(priceInc * 10_000, 10_000 + ctx.ukVatBp));
  const econ = listingEconomics({
    vatBp: ctx.ukVatBp,
    priceInc,
    bomLines: bomLinesOf(ctx, activeLines),
    costs: ov,
    // The latest fee snapshot written below: at the current price, referral + the fixed parts.
    feeSnapshot: { priceInc, referral: referralPence, total: referralPence + fixedFees },
    fulfillmentChannel: fba ? 'FBA' : 'FBM',
    category,
  });

  // Daily sales: 90 complete days D−90 … D−1.
  // A small cohort of steady best sellers whose sales collapse in the last week. The REF anomaly score compares
  // the 30-day velocity with an 83-day baseline that overlaps it, so only a steady, high-volume seller whose
  // drop is recent scores above 0.7 (about the faster half of this cohort); the rest score 0.4–0.7.
  const collapse = status === 'active' && rng.chance(0.04);
  const baseVelocity = status === 'archived' ? 0 : collapse ? rng.range(40, 150) : rng.weighted([[rng.range(0.05, 1), 40], [rng.range(1, 5), 45], [rng.range(5, 15), 15]] as const);
  const stopDay = status === 'inactive' ? rng.int(30, 85) : 90;
  const dropFrom = collapse ? 83 : 90;
  const conv = rng.range(0.04, 0.18);
  const trend = rng.range(-0.3, 0.3);
  const sales: SalesDay[] = [];
  for (let i = 0; i < 90; i++) {
    const day = D - (90 - i) * DAY;
    const weekday = new Date(day).getUTCDay();
    let lambda = i >= stopDay ? 0 : collapse ? baseVelocity : baseVelocity * (1 + (trend * (i - 45)) / 90) * (weekday === 0 || weekday === 6 ? 1.25 : 0.92);
    if (i >= dropFrom) lambda *= 0.05;
    const units = rng.poisson(lambda);
    const sessions = i >= stopDay ? rng.int(0, 3) : Math.max(units, Math.round((Math.max(lambda, 0.1) / conv) * rng.range(0.8, 1.2)));
    const pageViews = Math.round(sessions * rng.range(1.1, 1.6));
    const revenue = units * priceInc;
    sales.push({ units, revenue });
    tables.listing_sales_daily.push({
      id: ctx.ids.take('listing_sales_daily'), listing_id: listingId, date: isoDate(day), units, revenue_inc_vat: money(revenue),
      sessions, page_views: pageViews, conversion_rate: sessions > 0 ? (units / sessions).toFixed(4) : null,
      created_at: ts(day + DAY + 4 * HOUR),
    });
  }
  const velocity = sales.slice(60).reduce((s, d) => s + d.units, 0) / 30;
  const coverDays = rng.weighted([[rng.range(0, 7), 20], [rng.range(7, 30), 35], [rng.range(30, 100), 35], [rng.range(120, 300), 10]] as const);
  const qty = status === 'archived' ? 0 : Math.max(0, Math.round(Math.max(velocity, 0.1) * coverDays));

  tables.listings.push({
    id: listingId, seller_sku: sku, asin, title, description: `${title}. Made in the UK by ${brand}.`,
    bullet_points: [`Category: ${category}`, `Brand: ${brand}`, rng.pick(['Gift ready', 'Eco packaging', 'Fast dispatch', 'UK made'])],
    price_inc_vat: money(priceInc), available_quantity: qty, category, status, current_score: rng.int(40, 100),
    created_at: ts(createdAt), updated_at: ts(D - rng.int(1, 30) * DAY), marketplace_id: ctx.ukId,
    fulfillment_channel: fba ? 'FBA' : 'FBM',
  });
  addListingEvent(ctx, {
    listingId, type: 'LISTING_CREATED', at: createdAt, by: 'user',
    after: { seller_sku: sku, asin, title, price_inc_vat: gbp(priceInc), available_quantity: qty, status: 'active' },
  });
  if (status === 'archived') {
    addListingEvent(ctx, { listingId, type: 'LISTING_ARCHIVED', at: D - rng.int(40, 100) * DAY, by: 'user', before: { status: 'active' }, after: { status: 'archived' } });
  }
  if (hasOverride) {
    const at = createdAt + 10 * MIN;
    tables.listing_cost_overrides.push({
      id: ctx.ids.take('listing_cost_overrides'), listing_id: listingId, shipping_cost_ex_vat: money(ov.ship),
      packaging_cost_ex_vat: money(ov.pack), handling_cost_ex_vat: money(ov.handling), other_cost_ex_vat: money(ov.other),
      notes: fba ? 'FBA: shipping included in fees' : null, created_at: ts(at), updated_at: ts(at),
    });
    addListingEvent(ctx, {
      listingId, type: 'COST_OVERRIDE_UPDATED', at, by: 'user',
      before: { shipping_cost_ex_vat: 0, packaging_cost_ex_vat: 0, handling_cost_ex_vat: 0, other_cost_ex_vat: 0 },
      after: { shipping_cost_ex_vat: gbp(ov.ship), packaging_cost_ex_vat: gbp(ov.pack), handling_cost_ex_vat: gbp(ov.handling), other_cost_ex_vat: gbp(ov.other) },
    });
  }

  // Fee snapshots (1–3); the latest is at the current price.
  const feeCount = rng.int(1, 3);
  for (let f = feeCount - 1; f >= 0; f--) {
    const p = f === 0 ? priceInc : Math.round(priceInc * rng.range(0.9, 1.1));
    const pex = divRound(p * 10_000, 10_000 + ctx.ukVatBp);
    const referral = f === 0 ? referralPence : Math.round(0.15 * pex);
    const fbaFee = fba ? 250 : 0;
    const closing = MEDIA_CATEGORIES.has(category) ? 50 : 0;
    const capturedAt = D - (f * 30 + rng.int(1, 5)) * DAY + 5 * HOUR;
    tables.fee_snapshots.push({
      id: ctx.ids.take('fee_snapshots'), listing_id: listingId, price_inc_vat: money(p), referral_fee_ex_vat: money(referral),
      fba_fee_ex_vat: fba ? money(fbaFee) : null, variable_closing_fee_ex_vat: money(closing), per_item_fee_ex_vat: money(0),
      total_fee_ex_vat: money(referral + fbaFee + closing), category, fulfillment_channel: fba ? 'FBA' : 'FBM',
      raw_json: { source: 'seed', marketplace: UK_MARKETPLACE, currency: 'GBP' }, captured_at: ts(capturedAt), created_at: ts(capturedAt),
    });
  }

  // Offer + Buy Box (most listings).
  const bb = { status: 'UNKNOWN', pct: null as number | null };
  const offerSync = D - DAY + 18 * HOUR + rng.int(0, 3599) * 1000;
  if (status !== 'archived' && (ordinal < 2 || rng.chance(0.9))) {
    bb.status = rng.weighted([['WON', 60], ['LOST', 28], ['UNKNOWN', 12]] as const);
    bb.pct = bb.status === 'WON' ? r2(rng.range(70, 100)) : bb.status === 'LOST' ? r2(rng.range(0, 40)) : null;
    const bbPrice = bb.status === 'LOST' ? Math.round(priceInc * rng.range(0.88, 0.98)) : bb.status === 'WON' ? priceInc : null;
    tables.listing_offer_current.push({
      listing_id: listingId, price_inc_vat: money(priceInc), available_quantity: qty, buy_box_status: bb.status,
      buy_box_percentage_30d: bb.pct === null ? null : bb.pct.toFixed(2), buy_box_price: bbPrice === null ? null : money(bbPrice),
      is_buy_box_winner: bb.status === 'UNKNOWN' ? null : bb.status === 'WON', observed_at: ts(offerSync), created_at: ts(createdAt + HOUR),
      updated_at: ts(offerSync),
    });
    const job = addJob(ctx, { type: 'SYNC_AMAZON_OFFER', listingId, status: 'SUCCEEDED', createdAt: offerSync - 5_000, input: { asins: [asin] }, result: { updated: 1 } });
    addListingEvent(ctx, {
      listingId, type: 'AMAZON_SYNC_COMPLETED', at: offerSync, jobId: job, by: 'worker',
      before: { buy_box_status: 'UNKNOWN' }, after: { price_inc_vat: gbp(priceInc), available_quantity: qty, buy_box_status: bb.status },
    });
  }

  // ASIN entity + Keepa + catalog.
  const entityCreated = createdAt + HOUR;
  tables.asin_entities.push({
    id: entityId, asin, marketplace_id: ctx.ukId, title, brand, category, subcategory,
    main_image_url: `https://m.media-amazon.com/images/I/${asin}.jpg`, listing_id: listingId, is_tracked: true,
    tracked_at: ts(entityCreated), notes: null, created_at: ts(entityCreated), updated_at: ts(entityCreated),
  });
  const centre = Math.round(priceInc * rng.range(0.85, 1.15));
  const keepa = addKeepa(ctx, rng, entityId, asin, ctx.ukId, centre);
  const keepaAt = D - DAY + 3 * HOUR;
  const keepaJob = addJob(ctx, { type: 'SYNC_KEEPA_ASIN', scope: 'ASIN', listingId, asinEntityId: entityId, status: 'SUCCEEDED', priority: 4, createdAt: keepaAt - 30_000, input: { asin, marketplace_id: ctx.ukId } });
  addListingEvent(ctx, { listingId, type: 'KEEPA_SYNC_COMPLETED', at: keepaAt + 5_000, jobId: keepaJob, by: 'worker', after: { snapshot_id: ctx.ids.peek('keepa_snapshots') - 1, asin } });
  addCatalog(ctx, rng, entityId, asin, ctx.ukId, title, brand, category);

  // Features: yesterday's and (for most) the day before's nightly runs, over their own windows.
  const featureRuns = rng.chance(0.7) ? [2, 1] : [1];
  let latestFeatures: Record<string, unknown> = {};
  for (const daysAgo of featureRuns) {
    const at = D - daysAgo * DAY + 2 * HOUR + rng.int(0, 1800) * 1000;
    const features = listingFeatures(econ, sales, 90 - (daysAgo - 1), qty, leadTime, bb, keepa);
    const fsId = ctx.ids.take('feature_store');
    tables.feature_store.push({ id: fsId, entity_type: 'LISTING', entity_id: listingId, feature_version: 1, features_json: features, computed_at: ts(at), created_at: ts(at) });
    const job = addJob(ctx, { type: 'COMPUTE_FEATURES_LISTING', listingId, status: 'SUCCEEDED', priority: 3, createdAt: at - 10_000, result: { feature_store_id: fsId } });
    addListingEvent(ctx, { listingId, type: 'FEATURES_COMPUTED', at, jobId: job, by: 'worker', after: { feature_store_id: fsId, feature_version: 1 } });
    latestFeatures = features;
  }
  tables.feature_store.push({
    id: ctx.ids.take('feature_store'), entity_type: 'ASIN', entity_id: entityId, feature_version: 1,
    features_json: asinFeatures(asin, ctx.ukId, title, brand, category, keepa, null, ctx.ukVatBp),
    computed_at: ts(D - DAY + 2 * HOUR + 45 * MIN), created_at: ts(D - DAY + 2 * HOUR + 45 * MIN),
  });

  // Manual publishes (history and in-flight), at most one PENDING/RUNNING per publish type.
  const busy = new Set<string>();
  if (status === 'active' && rng.chance(0.25)) manualPublish(ctx, rng, listingId, priceInc, qty, busy);

  // Recommendations.
  const plan = STATUS_PLANS[ordinal] ?? (status === 'active' && rng.chance(0.35) ? randomPlan(rng) : null);
  if (plan) generateRecommendations(ctx, rng, listingId, plan, latestFeatures, econ, qty, velocity, leadTime, busy);
}

export function manualPublish(ctx: Ctx, rng: Rng, listingId: number, priceInc: number, qty: number, busy: Set<string>): void {
  const { D } = ctx;
  const isPrice = rng.chance(0.6);
  const type = isPrice ? 'PUBLISH_PRICE_CHANGE' : 'PUBLISH_STOCK_CHANGE';
  const status = rng.weighted([['SUCCEEDED', 55], ['FAILED', 15], ['PENDING', 12], ['RUNNING', 8], ['CANCELLED', 10]] as const);
  const live = status === 'PENDING' || status === 'RUNNING';
  if (live && busy.has(type)) return;
  if (live) busy.add(type);
  const at = live ? D - DAY + 22 * HOUR + rng.int(0, 3599) * 1000 : D - rng.int(3, 60) * DAY + rng.int(9, 17) * HOUR;
  const corr = `seed-${listingId}-${isPrice ? 'price' : 'stock'}-${at}`;
  // Succeeded changes end at the current value, so history and the listing agree.
  const [before, after] = isPrice
    ? status === 'SUCCEEDED' ? [Math.round(priceInc * 1.03), priceInc] : [priceInc, Math.round(priceInc * 0.97)]
    : status === 'SUCCEEDED' ? [Math.max(0, qty - rng.int(5, 50)), qty] : [qty, qty + rng.int(10, 100)];
  const key = isPrice ? 'price_inc_vat' : 'available_quantity';
  const val = (v: number) => (isPrice ? gbp(v) : v);
  const prefix = isPrice ? 'PRICE_CHANGE' : 'STOCK_CHANGE';
  const jobId = addJob(ctx, {
    type, listingId, status, priority: 7, createdAt: at, createdBy: 'user', attempts: status === 'FAILED' ? 1 : status === 'PENDING' ? 0 : 1,
    input: isPrice
      ? { price_inc_vat: gbp(after), previous_price_inc_vat: gbp(before), reason: 'Manual change', correlation_id: corr }
      : { available_quantity: after, previous_quantity: before, reason: 'Manual change', correlation_id: corr },
    error: status === 'FAILED' ? 'PUBLISH_DISABLED: publishing is switched off' : undefined,
  });
  addListingEvent(ctx, { listingId, type: `${prefix}_DRAFTED`, at, jobId, by: 'user', before: { [key]: val(before) }, after: { [key]: val(after) }, reason: 'Manual change', correlationId: corr });
  if (status === 'CANCELLED' || status === 'PENDING') return;
  addListingEvent(ctx, { listingId, type: `${prefix}_PUBLISHED`, at: at + 2_000, jobId, by: 'worker', before: { [key]: val(before) }, after: { [key]: val(after), write_mode: 'simulate' }, correlationId: corr });
  if (status === 'SUCCEEDED') addListingEvent(ctx, { listingId, type: `${prefix}_SUCCEEDED`, at: at + 3_500, jobId, by: 'worker', before: { [key]: val(before) }, after: { [key]: val(after) }, correlationId: corr });
  if (status === 'FAILED') addListingEvent(ctx, { listingId, type: `${prefix}_FAILED`, at: at + 3_500, jobId, by: 'worker', before: { [key]: val(before) }, after: { [key]: val(after), error: 'PUBLISH_DISABLED' }, correlationId: corr });
}
