/**
 * Listing records: create, update the descriptive fields, archive. Each runs in one transaction
 * (runMutation) and writes its listing_events row there; the result is a small JSON reference the
 * schema loads its payload from, so an idempotent replay returns the same payload. Price and
 * quantity change through the guarded publish flow (pricing.ts), never here.
 */
import type { Context } from '../context.js';
import { InvalidTransitionError, ValidationError } from '../domain/errors.js';
import type { Listing, Prisma } from '../generated/prisma/client.js';
import { recordListingEvent } from './core/audit-events.js';
import { decodeId } from './global-id.js';
import { optionalInt, optionalMoney, optionalText, PRICE_INTEGER_DIGITS, requiredText } from './core/input-checks.js';
import { lockRowOrNotFound } from './core/row-locks.js';
import { runMutation, type MutationContext, type Tx } from './core/run-mutation.js';

type Ctx = MutationContext;

/** Statuses a client may set directly; `archived` only through archiveListing. */
const EDITABLE_LISTING_STATUSES = ['active', 'inactive'] as const;
const FULFILLMENT_CHANNELS = ['FBA', 'FBM'] as const;
const ASIN_PATTERN = /^[A-Z0-9]{10}$/;

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
    priceIncVat: optionalMoney(input.priceIncVat, 'priceIncVat', PRICE_INTEGER_DIGITS) ?? '0.00',
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
      return { listingId: listing.id, listingEventId: event.id } satisfies ListingResult;
    },
  );
  return run.resultWithReplayed;
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
    return { listingId, listingEventId: null } satisfies ListingResult;
  });
  return run.resultWithReplayed;
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
    return { listingId, listingEventId: event.id } satisfies ListingResult;
  });
  return run.resultWithReplayed;
}

