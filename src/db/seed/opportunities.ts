/** Opportunity ASINs: tracked candidates without a listing. */
import { addJob, addRecEvent } from './audit-rows.js';
import type { BomLineInput } from '../../domain/economics.js';
import { drawBomLines } from './boms.js';
import { bomCostPence, bomLinesOf } from './economics.js';
import { type Ctx } from './context.js';
import { asinFeatures } from './features.js';
import { hash2, Rng } from './random.js';
import { addCatalog, addKeepa } from './snapshots.js';
import { asinFor, DAY, HOUR, MIN, ts } from './units.js';
import { ADJECTIVES, BRANDS, CATEGORIES, NOUNS } from './vocabulary.js';

/** Untracked opportunity ASINs (no listing), some with an ASIN_SCENARIO BOM and an opportunity recommendation. */
export function generateOpportunity(ctx: Ctx, ordinal: number, entityId: number): void {
  const rng = new Rng(hash2(ctx.seed ^ 0x5eed, ordinal));
  const { D, tables } = ctx;
  const asin = asinFor(entityId);
  const [category, subs] = rng.pick(CATEGORIES);
  const brand = rng.pick(['Acme', 'Generic', 'Zenith', 'Bluebell', ...BRANDS]);
  const title = `${brand} ${rng.pick(ADJECTIVES)} ${rng.pick(NOUNS)}`;
  const marketplaceId = ctx.otherMarketplaceIds.length && rng.chance(0.2) ? rng.pick(ctx.otherMarketplaceIds) : ctx.ukId;
  const tracked = rng.chance(0.6);
  const created = D - rng.int(5, 200) * DAY + 11 * HOUR;
  tables.asin_entities.push({
    id: entityId, asin, marketplace_id: marketplaceId, title, brand, category, subcategory: rng.pick(subs), main_image_url: null,
    listing_id: null, is_tracked: tracked, tracked_at: tracked ? ts(created) : null, notes: 'Untracked opportunity', created_at: ts(created), updated_at: ts(created),
  });
  const keepa = addKeepa(ctx, rng, entityId, asin, marketplaceId, rng.int(799, 4999));
  addJob(ctx, { type: 'SYNC_KEEPA_ASIN', scope: 'ASIN', asinEntityId: entityId, status: 'SUCCEEDED', priority: 4, createdAt: D - DAY + 3 * HOUR - 30_000, input: { asin, marketplace_id: marketplaceId } });
  addCatalog(ctx, rng, entityId, asin, marketplaceId, title, brand, category);
  addJob(ctx, { type: 'SYNC_AMAZON_CATALOG', scope: 'ASIN', asinEntityId: entityId, status: 'SUCCEEDED', createdAt: created + 60_000, input: { asin, marketplace_id: marketplaceId } });

  // ASIN_SCENARIO BOMs for about half: 1–2 versions, the latest active.
  let scenario: { bomPence: number; lines: BomLineInput[] } | null = null;
  if (ordinal === 0 || rng.chance(0.5)) {
    const versions = rng.int(1, 2);
    for (let v = 1; v <= versions; v++) {
      const lines = drawBomLines(ctx, rng);
      const bomId = ctx.ids.take('boms');
      const from = created + v * DAY;
      const active = v === versions;
      tables.boms.push({
        id: bomId, listing_id: null, asin_entity_id: entityId, scope_type: 'ASIN_SCENARIO', version: v, is_active: active,
        effective_from: ts(from), effective_to: active ? null : ts(from + DAY), notes: 'Scenario costing', created_at: ts(from), updated_at: ts(from),
      });
      for (const l of lines) {
        tables.bom_lines.push({
          id: ctx.ids.take('bom_lines'), bom_id: bomId, component_id: ctx.components[l.componentIdx]!.id,
          quantity: (l.q4 / 10_000).toFixed(4), wastage_rate: (l.w4 / 10_000).toFixed(4), notes: null, created_at: ts(from),
        });
      }
      scenario = { bomPence: bomCostPence(ctx, lines), lines: bomLinesOf(ctx, lines) };
    }
  }
  const features = asinFeatures(asin, marketplaceId, title, brand, category, keepa, scenario, ctx.ukVatBp);
  const at = D - DAY + 2 * HOUR + 50 * MIN;
  tables.feature_store.push({ id: ctx.ids.take('feature_store'), entity_type: 'ASIN', entity_id: entityId, feature_version: 1, features_json: features, computed_at: ts(at), created_at: ts(at) });
  addJob(ctx, { type: 'COMPUTE_FEATURES_ASIN', scope: 'ASIN', asinEntityId: entityId, status: 'SUCCEEDED', priority: 3, createdAt: at - 5_000 });

  const margin = features.opportunity_margin as number | null;
  if (margin !== null && (margin > 0.2 || ordinal === 0)) {
    const genAt = at + 10 * MIN;
    const job = addJob(ctx, { type: 'GENERATE_RECOMMENDATIONS_ASIN', scope: 'ASIN', asinEntityId: entityId, status: 'SUCCEEDED', priority: 3, createdAt: genAt - 5_000 });
    const status = ordinal === 0 ? 'PENDING' : rng.weighted([['PENDING', 6], ['REJECTED', 2], ['ACCEPTED', 1]] as const);
    const recId = ctx.ids.take('recommendations');
    const high = margin > 0.3;
    const decided = Math.min(genAt + 3 * HOUR, D - 30 * MIN);
    ctx.tables.recommendations.push({
      id: recId, recommendation_type: 'OPPORTUNITY_CREATE_LISTING', entity_type: 'ASIN', entity_id: entityId, status,
      action_payload_json: { action: 'CREATE_LISTING', asin, estimated_margin: margin, estimated_profit: features.opportunity_profit },
      evidence_json: { asin, title, brand, category, price_current: keepa.price_current, scenario_bom_cost_ex_vat: features.scenario_bom_cost_ex_vat, sales_rank_current: keepa.sales_rank_current, offers_count_current: keepa.offers_count_current },
      guardrails_json: null, impact_json: { estimated_profit_ex_vat: features.opportunity_profit, estimated_margin: margin },
      confidence: high ? 'HIGH' : 'MEDIUM', confidence_score: (high ? 0.8 : 0.6).toFixed(4), generated_at: ts(genAt), expires_at: ts(genAt + 7 * DAY),
      accepted_at: status === 'ACCEPTED' ? ts(decided) : null, rejected_at: status === 'REJECTED' ? ts(decided) : null, snoozed_until: null,
      generation_job_id: job, accepted_job_id: null, notes: null, created_at: ts(genAt), updated_at: ts(status === 'PENDING' ? genAt : decided),
    });
    addRecEvent(ctx, { recId, type: 'GENERATED', at: genAt, jobId: job, details: { recommendation_type: 'OPPORTUNITY_CREATE_LISTING' } });
    if (status === 'ACCEPTED') addRecEvent(ctx, { recId, type: 'ACCEPTED', at: decided, by: 'user', details: { job_type: null, job_id: null, action: 'CREATE_LISTING' } });
    if (status === 'REJECTED') addRecEvent(ctx, { recId, type: 'REJECTED', at: decided, by: 'user', reason: 'Too competitive' });
  }
}

