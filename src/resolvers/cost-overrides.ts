/** A listing's own costs on top of its BOM (shipping, packaging, handling, other): the patch and its audit row. */
import { ValidationError } from '../domain/errors.js';
import type { ListingCostOverride } from '../generated/prisma/client.js';
import { recordListingEvent } from './core/audit-events.js';
import { decodeId } from './global-id.js';
import { optionalMoney, optionalText } from './core/input-checks.js';
import { enqueueFollowUpJob } from './core/job-enqueueing.js';
import { lockRowOrNotFound } from './core/row-locks.js';
import { runMutation, type MutationContext } from './core/run-mutation.js';

type Ctx = MutationContext;

export interface UpsertCostOverrideInput {
  listingId: string;
  shippingCostExVat?: string | null;
  packagingCostExVat?: string | null;
  handlingCostExVat?: string | null;
  otherCostExVat?: string | null;
  notes?: string | null;
  idempotencyKey?: string | null;
}

export interface CostOverrideResult {
  listingId: number;
  costOverrideId: number;
  listingEventId: number;
}

const COST_FIELDS = [
  ['shippingCostExVat', 'shipping_cost_ex_vat'],
  ['packagingCostExVat', 'packaging_cost_ex_vat'],
  ['handlingCostExVat', 'handling_cost_ex_vat'],
  ['otherCostExVat', 'other_cost_ex_vat'],
] as const;

function fourCosts(row: Pick<ListingCostOverride, (typeof COST_FIELDS)[number][0]> | null): Record<string, string> {
  const costs: Record<string, string> = {};
  for (const [field, column] of COST_FIELDS) costs[column] = row?.[field]?.toFixed(2) ?? '0.00';
  return costs;
}

/**
 * Patch semantics (docs/domain-rules.md §1.2 ⚑): an omitted (or null) cost keeps its value — a missing row counts
 * as 0 — so changing one cost never zeroes the others. COST_OVERRIDE_UPDATED records old → new.
 */
export async function upsertCostOverride(ctx: Ctx, input: UpsertCostOverrideInput) {
  const listingId = decodeId(input.listingId, 'Listing', 'listingId');
  const patch: Partial<Record<(typeof COST_FIELDS)[number][0], string>> = {};
  for (const [field] of COST_FIELDS) {
    const value = optionalMoney(input[field], field, 10);
    if (value !== undefined) patch[field] = value;
  }
  const notes = optionalText(input.notes, 'notes', 20_000);
  if (Object.keys(patch).length === 0 && notes === undefined) {
    throw new ValidationError('input', 'give at least one cost or notes');
  }
  const run = await runMutation(ctx, { name: 'upsertCostOverride', idempotencyKey: input.idempotencyKey, input }, async (tx, m) => {
    await lockRowOrNotFound(tx, 'listings', listingId, 'Listing', input.listingId);
    const before = await tx.listingCostOverride.findUnique({ where: { listingId } });
    const data = { ...patch, ...(notes !== undefined ? { notes } : {}), updatedAt: m.now };
    const after = await tx.listingCostOverride.upsert({
      where: { listingId },
      create: { listingId, ...data, createdAt: m.now },
      update: data,
    });
    await m.checkpoint('after-first-write');
    const event = await recordListingEvent(tx, {
      listingId,
      eventType: 'COST_OVERRIDE_UPDATED',
      before: fourCosts(before),
      after: fourCosts(after),
      createdBy: m.actor,
      now: m.now,
    });
    // Margins follow the new costs (docs/domain-rules.md §6.3: skipped while an identical job is queued).
    await enqueueFollowUpJob(tx, { jobType: 'COMPUTE_FEATURES_LISTING', listingId, priority: 3, now: m.now });
    return { listingId, costOverrideId: after.id, listingEventId: event.id } satisfies CostOverrideResult;
  });
  return run.resultWithReplayed;
}

