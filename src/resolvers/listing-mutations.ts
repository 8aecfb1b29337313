import type { Context } from '../context.js';
import { guardrailSettingsToRows, validateGuardrailSettings, type GuardrailSettings } from '../domain/guardrails.js';
import { Decimal, toDecimal } from '../domain/money.js';
import type { Listing, ListingCostOverride, Prisma } from '../generated/prisma/client.js';
import type { JobType } from '../generated/prisma/enums.js';
import { DEFAULT_VAT_RATE_KEY, SETTING_KEYS } from './settings.js';
import {
  InvalidTransitionError,
  ValidationError,
  decodeId,
  enqueueFollowUpJob,
  lockRowOrNotFound,
  recordListingEvent,
  runMutation,
  type JsonResult,
  type Tx,
} from './transaction.js';

/**
 * Listing, cost-override, guardrail-settings and enrichment mutations. Each runs in one transaction
 * (runMutation) and writes its listing_events row there; the result is a small JSON reference the
 * schema loads its payload from, so an idempotent replay returns the same payload.
 */

type Ctx = Pick<Context, 'prisma' | 'now'>;

// ── Input checks shared with catalog-mutations.ts ─────────────────────────────────────────────

/** Trimmed text; '' clears a nullable column (null/undefined = leave unchanged, handled by callers). */
export function optionalText(value: string | null | undefined, field: string, maxLength: number): string | null | undefined {
  if (value === undefined || value === null) return undefined;
  const text = value.trim();
  if (text.length > maxLength) throw new ValidationError(field, `must be at most ${maxLength} characters`);
  return text === '' ? null : text;
}

export function requiredText(value: string | null | undefined, field: string, maxLength: number): string {
  const text = (value ?? '').trim();
  if (text === '') throw new ValidationError(field, 'must not be empty');
  if (text.length > maxLength) throw new ValidationError(field, `must be at most ${maxLength} characters`);
  return text;
}

/** Money ≥ 0 with at most 2 decimals, below the column's numeric(p,2) limit. */
export function optionalMoney(value: string | null | undefined, field: string, integerDigits = 10): string | undefined {
  if (value === undefined || value === null) return undefined;
  let amount;
  try {
    amount = toDecimal(value);
  } catch {
    throw new ValidationError(field, 'must be a decimal number such as "2.50"');
  }
  if (amount === null) return undefined;
  if (amount.isNegative()) throw new ValidationError(field, 'must be ≥ 0');
  if (amount.decimalPlaces() > 2) throw new ValidationError(field, 'must have at most 2 decimal places');
  if (amount.greaterThanOrEqualTo(new Decimal(10).pow(integerDigits))) {
    throw new ValidationError(field, `must be less than 10^${integerDigits}`);
  }
  return amount.toFixed(2);
}

export function optionalInt(value: number | null | undefined, field: string, min: number, max = 2_147_483_647): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ValidationError(field, max === 2_147_483_647 ? `must be an integer ≥ ${min}` : `must be an integer from ${min} to ${max}`);
  }
  return value;
}

/** The JSON result type of runMutation; our references are plain objects of numbers/strings. */
export const asJson = <T>(value: T): T & JsonResult => value as T & JsonResult;

// ── Listings ───────────────────────────────────────────────────────────────────────────────────

/** Statuses a client may set directly; `archived` only through archiveListing. */
export const EDITABLE_LISTING_STATUSES = ['active', 'inactive'] as const;
export const FULFILLMENT_CHANNELS = ['FBA', 'FBM'] as const;
const ASIN_PATTERN = /^[A-Z0-9]{10}$/;
const DEFAULT_MARKETPLACE = 'A1F83G8C2ARO7P';

function checkStatus(value: string | null | undefined): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (value === 'archived') throw new ValidationError('status', 'use archiveListing to archive a listing');
  if (!(EDITABLE_LISTING_STATUSES as readonly string[]).includes(value)) {
    throw new ValidationError('status', `must be one of ${EDITABLE_LISTING_STATUSES.join(', ')}`);
  }
  return value;
}

function checkChannel(value: string | null | undefined): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (!(FULFILLMENT_CHANNELS as readonly string[]).includes(value)) throw new ValidationError('fulfillmentChannel', 'must be FBA or FBM');
  return value;
}

function checkAsin(value: string | null | undefined): string | null | undefined {
  const asin = optionalText(value, 'asin', 20);
  if (asin === undefined || asin === null) return asin;
  const upper = asin.toUpperCase();
  if (!ASIN_PATTERN.test(upper)) throw new ValidationError('asin', 'must be 10 letters or digits, e.g. B08N5WRWNW');
  return upper;
}

function checkBulletPoints(value: readonly string[] | null | undefined): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (value.length > 10) throw new ValidationError('bulletPoints', 'at most 10 bullet points');
  return value.map((point, index) => requiredText(point, `bulletPoints.${index}`, 1000));
}

async function marketplaceIdOf(tx: Tx, globalId: string | null | undefined): Promise<number | undefined> {
  if (globalId === undefined || globalId === null) return undefined;
  const id = decodeId(globalId, 'Marketplace', 'marketplaceId');
  const found = await tx.marketplace.findUnique({ where: { id }, select: { id: true } });
  if (!found) throw new ValidationError('marketplaceId', 'no such marketplace');
  return id;
}

/** The listing as LISTING_CREATED records it (§7: null → listing). */
function listingSnapshot(listing: Listing): Prisma.InputJsonObject {
  return {
    id: listing.id,
    seller_sku: listing.sellerSku,
    asin: listing.asin,
    title: listing.title,
    price_inc_vat: listing.priceIncVat === null ? null : listing.priceIncVat.toFixed(2),
    available_quantity: listing.availableQuantity,
    category: listing.category,
    status: listing.status,
    fulfillment_channel: listing.fulfillmentChannel,
    marketplace_id: listing.marketplaceId,
  };
}

export interface ListingResult {
  listingId: number;
  listingEventId: number | null;
}

export interface CreateListingInput {
  sellerSku: string;
  asin?: string | null;
  title?: string | null;
  description?: string | null;
  bulletPoints?: readonly string[] | null;
  priceIncVat?: string | null;
  availableQuantity?: number | null;
  category?: string | null;
  status?: string | null;
  fulfillmentChannel?: string | null;
  marketplaceId?: string | null;
  idempotencyKey?: string | null;
}

const skuTaken = () => new ValidationError('sellerSku', 'is already used by another listing');

export async function createListing(ctx: Ctx, input: CreateListingInput) {
  const data = {
    sellerSku: requiredText(input.sellerSku, 'sellerSku', 100),
    asin: checkAsin(input.asin) ?? null,
    title: optionalText(input.title, 'title', 500) ?? null,
    description: optionalText(input.description, 'description', 20_000) ?? null,
    bulletPoints: checkBulletPoints(input.bulletPoints) ?? [],
    priceIncVat: optionalMoney(input.priceIncVat, 'priceIncVat', 8) ?? '0.00',
    availableQuantity: optionalInt(input.availableQuantity, 'availableQuantity', 0) ?? 0,
    category: optionalText(input.category, 'category', 100) ?? null,
    status: checkStatus(input.status) ?? 'active',
    fulfillmentChannel: checkChannel(input.fulfillmentChannel) ?? 'FBM',
  };
  const run = await runMutation(
    ctx,
    { name: 'createListing', idempotencyKey: input.idempotencyKey, input, constraintErrors: { listings_sku_key: skuTaken } },
    async (tx, m) => {
      const marketplaceId = await marketplaceIdOf(tx, input.marketplaceId);
      const clash = await tx.listing.findUnique({ where: { sellerSku: data.sellerSku }, select: { id: true } });
      if (clash) throw skuTaken();
      const listing = await tx.listing.create({ data: { ...data, marketplaceId: marketplaceId ?? null, createdAt: m.now, updatedAt: m.now } });
      await m.checkpoint('after-first-write');
      const event = await recordListingEvent(tx, {
        listingId: listing.id,
        eventType: 'LISTING_CREATED',
        before: null,
        after: listingSnapshot(listing),
        createdBy: m.actor,
        now: m.now,
      });
      return asJson<ListingResult>({ listingId: listing.id, listingEventId: event.id });
    },
  );
  return { ...(run.result as ListingResult), replayed: run.replayed };
}

export interface UpdateListingInput {
  id: string;
  asin?: string | null;
  title?: string | null;
  description?: string | null;
  bulletPoints?: readonly string[] | null;
  category?: string | null;
  status?: string | null;
  fulfillmentChannel?: string | null;
  marketplaceId?: string | null;
  idempotencyKey?: string | null;
}

/**
 * Descriptive fields only: price and quantity change through the guarded publish flow. Omitted or
 * null = unchanged; '' clears a text field. No listing_events row: listing_event_type (migration 002)
 * has no value for a descriptive edit; `updated_at` records it.
 */
export async function updateListing(ctx: Ctx, input: UpdateListingInput) {
  const listingId = decodeId(input.id, 'Listing', 'id');
  const patch: Prisma.ListingUpdateInput = {};
  const asin = checkAsin(input.asin);
  if (asin !== undefined) patch.asin = asin;
  const title = optionalText(input.title, 'title', 500);
  if (title !== undefined) patch.title = title;
  const description = optionalText(input.description, 'description', 20_000);
  if (description !== undefined) patch.description = description;
  const bulletPoints = checkBulletPoints(input.bulletPoints);
  if (bulletPoints !== undefined) patch.bulletPoints = bulletPoints;
  const category = optionalText(input.category, 'category', 100);
  if (category !== undefined) patch.category = category;
  const status = checkStatus(input.status);
  if (status !== undefined) patch.status = status;
  const channel = checkChannel(input.fulfillmentChannel);
  if (channel !== undefined) patch.fulfillmentChannel = channel;
  if (Object.keys(patch).length === 0 && input.marketplaceId == null) {
    throw new ValidationError('input', 'give at least one field to change');
  }

  const run = await runMutation(ctx, { name: 'updateListing', idempotencyKey: input.idempotencyKey, input }, async (tx, m) => {
    await lockRowOrNotFound(tx, 'listings', listingId, 'Listing', input.id);
    const current = await tx.listing.findUniqueOrThrow({ where: { id: listingId }, select: { status: true } });
    if (current.status === 'archived') {
      throw new InvalidTransitionError('archived', 'UPDATE_LISTING', 'cannot update an archived listing');
    }
    const marketplaceId = await marketplaceIdOf(tx, input.marketplaceId);
    if (marketplaceId !== undefined) patch.marketplace = { connect: { id: marketplaceId } };
    await tx.listing.update({ where: { id: listingId }, data: { ...patch, updatedAt: m.now } });
    return asJson<ListingResult>({ listingId, listingEventId: null });
  });
  return { ...(run.result as ListingResult), replayed: run.replayed };
}

export async function archiveListing(ctx: Ctx, input: { id: string; reason?: string | null; idempotencyKey?: string | null }) {
  const listingId = decodeId(input.id, 'Listing', 'id');
  const reason = optionalText(input.reason, 'reason', 2000) ?? null;
  const run = await runMutation(ctx, { name: 'archiveListing', idempotencyKey: input.idempotencyKey, input }, async (tx, m) => {
    await lockRowOrNotFound(tx, 'listings', listingId, 'Listing', input.id);
    const current = await tx.listing.findUniqueOrThrow({ where: { id: listingId }, select: { status: true } });
    if (current.status === 'archived') {
      throw new InvalidTransitionError('archived', 'ARCHIVE', 'the listing is already archived');
    }
    await tx.listing.update({ where: { id: listingId }, data: { status: 'archived', updatedAt: m.now } });
    await m.checkpoint('after-first-write');
    const event = await recordListingEvent(tx, {
      listingId,
      eventType: 'LISTING_ARCHIVED',
      before: { status: current.status },
      after: { status: 'archived' },
      reason,
      createdBy: m.actor,
      now: m.now,
    });
    return asJson<ListingResult>({ listingId, listingEventId: event.id });
  });
  return { ...(run.result as ListingResult), replayed: run.replayed };
}

// ── Cost overrides ─────────────────────────────────────────────────────────────────────────────

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
 * Patch semantics (DOMAIN §1.2 ⚑): an omitted (or null) cost keeps its value — a missing row counts
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
    // Margins follow the new costs (DOMAIN §6.3: skipped while an identical job is queued).
    await enqueueFollowUpJob(tx, { jobType: 'COMPUTE_FEATURES_LISTING', listingId, priority: 3, now: m.now });
    return asJson<CostOverrideResult>({ listingId, costOverrideId: after.id, listingEventId: event.id });
  });
  return { ...(run.result as CostOverrideResult), replayed: run.replayed };
}

// ── Guardrail settings ─────────────────────────────────────────────────────────────────────────

export interface UpdateGuardrailSettingsInput {
  minMargin?: string | null;
  maxPriceChangePctPerDay?: string | null;
  minDaysOfCoverBeforePriceChange?: number | null;
  minStockThreshold?: number | null;
  allowPriceBelowBreakEven?: boolean | null;
  defaultVatRate?: string | null;
  idempotencyKey?: string | null;
}

const SETTING_DESCRIPTIONS: Record<string, string> = {
  'guardrails.min_margin': 'Minimum acceptable profit margin (0.15 = 15%)',
  'guardrails.max_price_change_pct_per_day': 'Maximum price change per day (0.05 = 5%)',
  'guardrails.min_days_of_cover_before_price_change': 'Min stock days before allowing price cut',
  'guardrails.min_stock_threshold': 'Minimum stock level before alerts',
  'guardrails.allow_price_below_break_even': 'Allow prices below break-even (dangerous)',
  default_vat_rate: 'Default VAT rate (0.20 = 20%)',
};

function ratioInput(value: string | null | undefined): number | undefined {
  if (value === undefined || value === null) return undefined;
  return Number(value);
}

/** Validated ranges (guardrails.validateGuardrailSettings); writes one settings row per given field. */
export async function updateGuardrailSettings(ctx: Ctx, input: UpdateGuardrailSettingsInput) {
  const partial: Partial<GuardrailSettings> = {};
  const minMargin = ratioInput(input.minMargin);
  if (minMargin !== undefined) partial.minMargin = minMargin;
  const maxChange = ratioInput(input.maxPriceChangePctPerDay);
  if (maxChange !== undefined) partial.maxPriceChangePctPerDay = maxChange;
  if (input.minDaysOfCoverBeforePriceChange != null) partial.minDaysOfCoverBeforePriceChange = input.minDaysOfCoverBeforePriceChange;
  if (input.minStockThreshold != null) partial.minStockThreshold = input.minStockThreshold;
  if (input.allowPriceBelowBreakEven != null) partial.allowPriceBelowBreakEven = input.allowPriceBelowBreakEven;
  const [error] = validateGuardrailSettings(partial);
  if (error) throw new ValidationError(error.field, error.message);
  const rows: Array<{ key: string; value: number | boolean }> = guardrailSettingsToRows(partial);
  const vat = ratioInput(input.defaultVatRate);
  if (vat !== undefined) {
    if (!(vat >= 0 && vat < 1)) throw new ValidationError('defaultVatRate', 'must be a number in [0, 1)');
    rows.push({ key: DEFAULT_VAT_RATE_KEY, value: vat });
  }
  if (rows.length === 0) throw new ValidationError('input', 'give at least one setting');

  const run = await runMutation(ctx, { name: 'updateGuardrailSettings', idempotencyKey: input.idempotencyKey, input }, async (tx, m) => {
    for (const row of rows) {
      await tx.setting.upsert({
        where: { key: row.key },
        create: { key: row.key, value: row.value, description: SETTING_DESCRIPTIONS[row.key] ?? null, updatedAt: m.now },
        update: { value: row.value, updatedAt: m.now },
      });
      if (row === rows[0]) await m.checkpoint('after-first-write');
    }
    return asJson({ keys: rows.map((row) => row.key) });
  });
  return { keys: (run.result as { keys: string[] }).keys, allKeys: [...SETTING_KEYS], replayed: run.replayed };
}

// ── Enrichment ─────────────────────────────────────────────────────────────────────────────────

export interface EnrichmentJobResult {
  jobType: JobType;
  jobId: number;
  created: boolean;
}

/**
 * Queues the syncs that refresh a listing (§6.2): its offer always; catalog and Keepa only when it
 * has an ASIN. An identical PENDING job is reused, not duplicated (§6.3). SYNC_AMAZON_SALES is
 * never queued (removed: needs Brand Analytics).
 */
export async function requestListingEnrichment(ctx: Ctx, input: { listingId: string; idempotencyKey?: string | null }) {
  const listingId = decodeId(input.listingId, 'Listing', 'listingId');
  const run = await runMutation(ctx, { name: 'requestListingEnrichment', idempotencyKey: input.idempotencyKey, input }, async (tx, m) => {
    // Holding the listing lock makes "skip an identical PENDING job" safe against a concurrent request.
    await lockRowOrNotFound(tx, 'listings', listingId, 'Listing', input.listingId);
    const listing = await tx.listing.findUniqueOrThrow({ where: { id: listingId }, select: { id: true, asin: true, sellerSku: true, status: true, marketplaceId: true } });
    if (listing.status === 'archived') {
      throw new InvalidTransitionError('archived', 'REQUEST_ENRICHMENT', 'cannot enrich an archived listing');
    }
    const marketplaceId =
      listing.marketplaceId ??
      (await tx.marketplace.findUnique({ where: { amazonMarketplaceId: DEFAULT_MARKETPLACE }, select: { id: true } }))?.id ??
      null;
    const requests: Array<{ jobType: JobType; input: Prisma.InputJsonObject; asinEntityId?: number | null }> = [
      {
        jobType: 'SYNC_AMAZON_OFFER',
        input: listing.asin ? { listing_id: listingId, asins: [listing.asin] } : { listing_id: listingId, seller_sku: listing.sellerSku },
      },
    ];
    if (listing.asin) {
      const entity = marketplaceId
        ? await tx.asinEntity.findUnique({ where: { asin_marketplaceId: { asin: listing.asin, marketplaceId } }, select: { id: true } })
        : null;
      requests.push(
        { jobType: 'SYNC_AMAZON_CATALOG', input: { listing_id: listingId, asin: listing.asin, marketplace_id: marketplaceId } },
        { jobType: 'SYNC_KEEPA_ASIN', input: { listing_id: listingId, asin: listing.asin, marketplace_id: marketplaceId }, asinEntityId: entity?.id ?? null },
      );
    }
    const results: EnrichmentJobResult[] = [];
    for (const request of requests) {
      const { job, created } = await enqueueFollowUpJob(tx, {
        jobType: request.jobType,
        listingId,
        asinEntityId: request.asinEntityId ?? null,
        priority: 5,
        input: request.input,
        createdBy: m.actor,
        now: m.now,
      });
      results.push({ jobType: request.jobType, jobId: job.id, created });
      if (created && results.filter((r) => r.created).length === 1) await m.checkpoint('after-first-write');
    }
    return asJson({ listingId, jobs: results });
  });
  const result = run.result as { listingId: number; jobs: EnrichmentJobResult[] };
  return { ...result, replayed: run.replayed };
}

