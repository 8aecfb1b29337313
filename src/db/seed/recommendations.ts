/** Recommendations of a listing (docs/domain-rules.md §5.1 triggers where the features allow) with their event history. */
import { addJob, addListingEvent, addRecEvent } from './audit-rows.js';
import { type Ctx } from './context.js';
import type { Econ } from './economics.js';
import { Rng } from './random.js';
import { DAY, gbp, HOUR, MIN, r1, r2, r4, ts } from './units.js';

export const STATUS_PLANS: Record<number, { run1: string[]; run2: string[] | null }> = {
  // The first two listings of every call cover all six statuses, whatever N is.
  0: { run1: ['SUPERSEDED', 'ACCEPTED', 'REJECTED'], run2: ['PENDING', 'SNOOZED', 'ACCEPTED'] },
  1: { run1: ['EXPIRED', 'ACCEPTED'], run2: null },
};

export function randomPlan(rng: Rng): { run1: string[]; run2: string[] | null } {
  const hasRun2 = rng.chance(0.6);
  const n1 = rng.int(1, 2);
  const run1 = Array.from({ length: n1 }, () => rng.weighted([[hasRun2 ? 'SUPERSEDED' : 'EXPIRED', 5], ['ACCEPTED', 2], ['REJECTED', 2]] as const));
  const run2 = hasRun2 ? Array.from({ length: rng.int(1, 2) }, () => rng.weighted([['PENDING', 6], ['SNOOZED', 1], ['ACCEPTED', 2], ['REJECTED', 1]] as const)) : null;
  return { run1, run2 };
}

export const PUBLISHABLE: Record<string, 'price' | 'stock'> = {
  PRICE_DECREASE_REGAIN_BUYBOX: 'price',
  PRICE_INCREASE_MARGIN_OPPORTUNITY: 'price',
  STOCK_INCREASE_STOCKOUT_RISK: 'stock',
};

export function candidateTypes(f: Record<string, unknown>): string[] {
  const out: string[] = [];
  if (f.buy_box_status === 'LOST') out.push('PRICE_DECREASE_REGAIN_BUYBOX', 'ANOMALY_BUY_BOX_LOSS');
  if (f.buy_box_status === 'WON' && (f.margin as number) > 0.2) out.push('PRICE_INCREASE_MARGIN_OPPORTUNITY');
  if (f.stockout_risk === 'HIGH' || f.stockout_risk === 'MEDIUM') out.push('STOCK_INCREASE_STOCKOUT_RISK');
  if (typeof f.days_of_cover === 'number' && f.days_of_cover > 120) out.push('STOCK_DECREASE_OVERSTOCK');
  if ((f.margin as number) < 0.15) out.push('MARGIN_AT_RISK_COMPONENT_COST');
  if ((f.sales_anomaly_score as number) > 0.7) out.push('ANOMALY_SALES_DROP');
  // Runs need up to three distinct types: pad with types whose triggers are loose.
  for (const extra of ['PRICE_INCREASE_MARGIN_OPPORTUNITY', 'STOCK_INCREASE_STOCKOUT_RISK', 'ANOMALY_CONVERSION_DROP']) {
    if (out.length >= 3) break;
    if (!out.includes(extra)) out.push(extra);
  }
  return out;
}

export interface RecContent { payload: Record<string, unknown>; evidence: Record<string, unknown>; guardrails: unknown; impact: Record<string, unknown>; confidence: string; score: number }

export function recContent(type: string, f: Record<string, unknown>, e: Econ, qty: number, velocity: number, lead: number): RecContent {
  const price = e.priceInc;
  const priceRec = (suggested: number, conf: string, score: number, evidence: Record<string, unknown>): RecContent => ({
    payload: { action: 'CHANGE_PRICE', suggested_price_inc_vat: gbp(suggested), current_price_inc_vat: gbp(price), price_change: gbp(suggested - price) },
    evidence: { ...evidence, buy_box_status: f.buy_box_status, buy_box_percentage_30d: f.buy_box_percentage_30d, price_p25_90d: f.price_p25_90d, price_median_90d: f.price_median_90d, competitor_price_position: f.competitor_price_position },
    guardrails: { passed: true, checks: [], violations: [] },
    impact: { margin_change: r4(-(gbp(price - suggested) / 1.2) / Math.max(0.01, gbp(e.priceEx))), profit_change_ex_vat: r2((suggested - price) / 120) },
    confidence: conf, score,
  });
  switch (type) {
    case 'PRICE_DECREASE_REGAIN_BUYBOX': {
      const vol = f.price_volatility_90d as number;
      const [conf, score] = vol < 0.1 ? ['HIGH', 0.85] : vol < 0.2 ? ['MEDIUM', 0.65] : ['LOW', 0.45];
      return priceRec(Math.ceil(price * 0.95), conf, score, { note: 'Buy Box lost; price above the 25th percentile', unclamped_target_inc_vat: f.price_p25_90d });
    }
    case 'PRICE_INCREASE_MARGIN_OPPORTUNITY':
      return priceRec(Math.floor(price * 1.05), 'MEDIUM', 0.6, { margin: f.margin });
    case 'STOCK_INCREASE_STOCKOUT_RISK': {
      const target = Math.max(qty + 1, Math.ceil(Math.max(velocity, 0.5) * 2 * lead));
      const cover = (f.days_of_cover as number | null) ?? 0;
      return {
        payload: { action: 'CHANGE_STOCK', suggested_quantity: target, current_quantity: qty, quantity_change: target - qty },
        evidence: { available_quantity: qty, days_of_cover: f.days_of_cover, sales_velocity_units_per_day_30d: f.sales_velocity_units_per_day_30d, lead_time_days: lead, stockout_risk: f.stockout_risk },
        guardrails: { passed: true, checks: [], violations: [] },
        impact: { prevented_stockout_days: r1(Math.max(0, 2 * lead - cover)), revenue_protected_inc_vat: r2(velocity * Math.max(0, 2 * lead - cover) * gbp(price)) },
        confidence: f.stockout_risk === 'HIGH' ? 'HIGH' : 'MEDIUM', score: f.stockout_risk === 'HIGH' ? 0.9 : 0.7,
      };
    }
    case 'STOCK_DECREASE_OVERSTOCK':
      return {
        payload: { action: 'REVIEW_STOCK', suggested_quantity: Math.max(5, Math.ceil(velocity * 2 * lead)), current_quantity: qty },
        evidence: { available_quantity: qty, days_of_cover: f.days_of_cover, sales_velocity_units_per_day_30d: f.sales_velocity_units_per_day_30d },
        guardrails: null, impact: { excess_units: Math.max(0, qty - Math.ceil(velocity * 2 * lead)) }, confidence: 'MEDIUM', score: 0.6,
      };
    case 'MARGIN_AT_RISK_COMPONENT_COST':
      return {
        payload: { action: 'REVIEW_COSTS', current_margin: f.margin, min_margin: 0.15, break_even_price_inc_vat: f.break_even_price_inc_vat },
        evidence: { margin: f.margin, min_margin: 0.15, bom_cost_ex_vat: f.bom_cost_ex_vat, amazon_fees_ex_vat: f.amazon_fees_ex_vat },
        guardrails: { violation: 'min_margin', actual: f.margin, threshold: 0.15 },
        impact: { margin_gap: r4(0.15 - (f.margin as number)) }, confidence: 'HIGH', score: 0.95,
      };
    default: {
      const anomaly = type === 'ANOMALY_SALES_DROP' ? 'SALES_DROP' : type === 'ANOMALY_CONVERSION_DROP' ? 'CONVERSION_DROP' : 'BUY_BOX_LOSS';
      return {
        payload: { action: 'INVESTIGATE', anomaly_type: anomaly },
        evidence: { sales_anomaly_score: f.sales_anomaly_score, units_7d: f.units_7d, units_30d: f.units_30d, sales_velocity_units_per_day_30d: f.sales_velocity_units_per_day_30d, buy_box_status: f.buy_box_status },
        guardrails: null, impact: { urgency: 'HIGH', possible_causes: ['competitor pricing', 'listing suppressed', 'seasonality'] }, confidence: 'MEDIUM', score: 0.7,
      };
    }
  }
}

export function generateRecommendations(
  ctx: Ctx, rng: Rng, listingId: number, plan: { run1: string[]; run2: string[] | null }, f: Record<string, unknown>, e: Econ,
  qty: number, velocity: number, lead: number, busy: Set<string>,
): void {
  const { D } = ctx;
  const runs: { at: number; statuses: string[]; jobId: number }[] = [];
  const run1At = D - rng.int(10, 25) * DAY + 2 * HOUR + rng.int(0, 3599) * 1000;
  runs.push({ at: run1At, statuses: plan.run1, jobId: addJob(ctx, { type: 'GENERATE_RECOMMENDATIONS_LISTING', listingId, status: 'SUCCEEDED', priority: 3, createdAt: run1At - 20_000, result: { generated: plan.run1.length } }) });
  if (plan.run2) {
    const run2At = D - rng.int(1, 5) * DAY + 2 * HOUR + rng.int(0, 3599) * 1000;
    runs.push({ at: run2At, statuses: plan.run2, jobId: addJob(ctx, { type: 'GENERATE_RECOMMENDATIONS_LISTING', listingId, status: 'SUCCEEDED', priority: 3, createdAt: run2At - 20_000, result: { generated: plan.run2.length } }) });
  }
  const candidates = candidateTypes(f);
  runs.forEach((run, r) => {
    const used = new Set<string>();
    run.statuses.forEach((status, k) => {
      let type = candidates[(k + r + rng.int(0, candidates.length - 1)) % candidates.length]!;
      for (let tries = 0; used.has(type) && tries < candidates.length; tries++) type = candidates[(candidates.indexOf(type) + 1) % candidates.length]!;
      if (used.has(type)) return;
      used.add(type);
      const c = recContent(type, f, e, qty, velocity, lead);
      const recId = ctx.ids.take('recommendations');
      const gen = run.at + k * 1000;
      let expires = gen + 7 * DAY;
      let acceptedAt: number | null = null;
      let rejectedAt: number | null = null;
      let snoozedUntil: number | null = null;
      let acceptedJob: number | null = null;
      const events: Parameters<typeof addRecEvent>[1][] = [{ recId, type: 'GENERATED', at: gen, jobId: run.jobId, details: { recommendation_type: type } }];
      const userAt = Math.min(gen + rng.int(2, 30) * HOUR, D - HOUR);
      if (status !== 'EXPIRED' && status !== 'SUPERSEDED' && rng.chance(0.7)) events.push({ recId, type: 'VIEWED', at: userAt - 10 * MIN, by: 'user' });
      switch (status) {
        case 'ACCEPTED': {
          acceptedAt = userAt;
          const kind = PUBLISHABLE[type];
          if (kind) {
            const jobType = kind === 'price' ? 'PUBLISH_PRICE_CHANGE' : 'PUBLISH_STOCK_CHANGE';
            let jobStatus = r === runs.length - 1 ? rng.weighted([['SUCCEEDED', 4], ['PENDING', 2], ['RUNNING', 1], ['FAILED', 1]] as const) : rng.weighted([['SUCCEEDED', 4], ['FAILED', 1], ['CANCELLED', 1]] as const);
            if ((jobStatus === 'PENDING' || jobStatus === 'RUNNING') && busy.has(jobType)) jobStatus = 'SUCCEEDED';
            if (jobStatus === 'PENDING' || jobStatus === 'RUNNING') busy.add(jobType);
            const action = c.payload;
            const corr = `rec-${recId}`;
            acceptedJob = addJob(ctx, {
              type: jobType, listingId, status: jobStatus, priority: 7, createdAt: acceptedAt, createdBy: 'user',
              input: kind === 'price'
                ? { price_inc_vat: action.suggested_price_inc_vat, previous_price_inc_vat: action.current_price_inc_vat, reason: `Accepted recommendation ${recId}`, correlation_id: corr, recommendation_id: recId }
                : { available_quantity: action.suggested_quantity, previous_quantity: action.current_quantity, reason: `Accepted recommendation ${recId}`, correlation_id: corr, recommendation_id: recId },
              error: jobStatus === 'FAILED' ? 'Guardrail check failed at execution: max_price_change_pct_per_day' : undefined,
              attempts: jobStatus === 'FAILED' ? 1 : undefined,
            });
            const key = kind === 'price' ? 'price_inc_vat' : 'available_quantity';
            const before = kind === 'price' ? action.current_price_inc_vat : action.current_quantity;
            const after = kind === 'price' ? action.suggested_price_inc_vat : action.suggested_quantity;
            const prefix = kind === 'price' ? 'PRICE_CHANGE' : 'STOCK_CHANGE';
            addListingEvent(ctx, { listingId, type: `${prefix}_DRAFTED`, at: acceptedAt, jobId: acceptedJob, by: 'user', before: { [key]: before }, after: { [key]: after }, reason: `Accepted recommendation ${recId}`, correlationId: corr });
            events.push({ recId, type: 'ACCEPTED', at: acceptedAt, jobId: acceptedJob, by: 'user', details: { job_type: jobType, job_id: acceptedJob, action: action.action } });
            if (jobStatus !== 'PENDING' && jobStatus !== 'CANCELLED') {
              events.push({ recId, type: 'ACTION_STARTED', at: acceptedAt + 2_000, jobId: acceptedJob, by: 'worker' });
              addListingEvent(ctx, { listingId, type: `${prefix}_PUBLISHED`, at: acceptedAt + 2_000, jobId: acceptedJob, by: 'worker', before: { [key]: before }, after: { [key]: after, write_mode: 'simulate' }, correlationId: corr });
            }
            if (jobStatus === 'SUCCEEDED') {
              events.push({ recId, type: 'ACTION_COMPLETED', at: acceptedAt + 3_500, jobId: acceptedJob, by: 'worker' });
              addListingEvent(ctx, { listingId, type: `${prefix}_SUCCEEDED`, at: acceptedAt + 3_500, jobId: acceptedJob, by: 'worker', before: { [key]: before }, after: { [key]: after }, correlationId: corr });
            } else if (jobStatus === 'FAILED' || jobStatus === 'CANCELLED') {
              const error = jobStatus === 'FAILED' ? 'Guardrail check failed at execution' : 'Job cancelled';
              events.push({ recId, type: 'ACTION_FAILED', at: acceptedAt + 3_500, jobId: acceptedJob, by: 'worker', details: { error } });
              if (jobStatus === 'FAILED') addListingEvent(ctx, { listingId, type: `${prefix}_FAILED`, at: acceptedAt + 3_500, jobId: acceptedJob, by: 'worker', before: { [key]: before }, after: { [key]: after, error }, correlationId: corr });
            }
          } else {
            events.push({ recId, type: 'ACCEPTED', at: acceptedAt, by: 'user', details: { job_type: null, job_id: null, action: c.payload.action } });
          }
          break;
        }
        case 'REJECTED':
          rejectedAt = userAt;
          events.push({ recId, type: 'REJECTED', at: userAt, by: 'user', reason: rng.pick(['Seasonal dip expected', 'Price set by contract', 'Already handled', 'Not relevant']) });
          break;
        case 'SNOOZED':
          snoozedUntil = D + rng.int(1, 14) * DAY + 9 * HOUR;
          expires = Math.max(expires, snoozedUntil + 7 * DAY);
          events.push({ recId, type: 'SNOOZED', at: userAt, by: 'user', details: { snoozed_until: new Date(snoozedUntil).toISOString() } });
          break;
        case 'EXPIRED':
          events.push({ recId, type: 'EXPIRED', at: expires + 15 * MIN });
          break;
        case 'SUPERSEDED': {
          const next = runs[r + 1]!;
          events.push({ recId, type: 'SUPERSEDED', at: next.at - 500, jobId: next.jobId, details: { superseded_by_job_id: next.jobId } });
          break;
        }
      }
      const last = events[events.length - 1]!.at;
      ctx.tables.recommendations.push({
        id: recId, recommendation_type: type, entity_type: 'LISTING', entity_id: listingId, status,
        action_payload_json: c.payload, evidence_json: c.evidence, guardrails_json: c.guardrails, impact_json: c.impact,
        confidence: c.confidence, confidence_score: c.score.toFixed(4), generated_at: ts(gen), expires_at: ts(expires),
        accepted_at: acceptedAt === null ? null : ts(acceptedAt), rejected_at: rejectedAt === null ? null : ts(rejectedAt),
        snoozed_until: snoozedUntil === null ? null : ts(snoozedUntil), generation_job_id: run.jobId, accepted_job_id: acceptedJob,
        notes: null, created_at: ts(gen), updated_at: ts(last),
      });
      for (const ev of events) addRecEvent(ctx, ev);
    });
  });
}
