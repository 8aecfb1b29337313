import type { Decimal } from 'decimal.js';
import type { Context } from '../context.js';
import type { Economics } from '../domain/economics.js';
import {
  evaluatePriceChange,
  evaluateStockChange,
  guardrailResultToJson,
  type GuardrailCheck,
} from '../domain/guardrails.js';
import { toDecimal } from '../domain/money.js';
import { loadPricingState, type PricingState } from './read/pricing-state.js';
import { GuardrailViolationError, InvalidTransitionError, NotFoundError, ValidationError } from '../domain/errors.js';
import { decodeId } from './global-id.js';
import { MAX_PRICE } from './core/input-checks.js';
import { createPublishJob, publishDedupErrors } from './core/job-enqueueing.js';
import { lockRowOrNotFound } from './core/row-locks.js';
import { runMutation, type MutationContext, type Tx } from './core/run-mutation.js';

/**
 * Price and stock changes (docs/domain-rules.md §3, §6.2, §7): previews evaluate the guardrails on the current
 * state and write nothing; publishes re-evaluate them inside the transaction that creates the
 * publish job and its *_CHANGE_DRAFTED event, so what the client saw in a preview is never trusted.
 */

const MAX_CORRELATION_ID = 100;
const MAX_REASON = 2000;

export interface GuardrailResultJson {
  passed: boolean;
  checks: GuardrailCheck[];
  violations: GuardrailCheck[];
}

export interface PricePreview extends GuardrailResultJson {
  listingId: number;
  currentPriceIncVat: string | null;
  newPriceIncVat: string;
  referencePriceIncVat: string | null;
  daysOfCover: string | null;
  economicsBefore: Economics;
  economicsAfter: Economics;
}

export interface StockPreview extends GuardrailResultJson {
  listingId: number;
  currentQuantity: number | null;
  newQuantity: number;
}

/** What a publish returns and an idempotency key replays. */
export interface PublishResult {
  listingId: number;
  jobId: number;
  listingEventId: number;
  correlationId: string;
  guardrails: GuardrailResultJson;
}

export interface PublishPriceInput {
  listingId: string;
  priceIncVat: string;
  reason?: string | null;
  correlationId?: string | null;
  idempotencyKey?: string | null;
}

export interface PublishStockInput {
  listingId: string;
  availableQuantity: number;
  reason?: string | null;
  correlationId?: string | null;
  idempotencyKey?: string | null;
}

/** A positive price with at most 2 decimals that fits numeric(10,2). */
export function parseNewPrice(value: string, field = 'priceIncVat'): Decimal {
  let price: Decimal | null;
  try {
    price = toDecimal(value);
  } catch {
    throw new ValidationError(field, 'must be a decimal number such as "19.99"');
  }
  if (price === null) throw new ValidationError(field, 'is required');
  if (price.decimalPlaces() > 2) throw new ValidationError(field, 'must have at most 2 decimal places');
  if (price.lessThanOrEqualTo(0)) throw new ValidationError(field, 'must be greater than 0');
  if (price.greaterThan(MAX_PRICE)) throw new ValidationError(field, `must be at most ${MAX_PRICE.toFixed(2)}`);
  return price;
}

function checkTexts(input: { reason?: string | null; correlationId?: string | null }): void {
  if (input.correlationId != null) {
    if (input.correlationId.trim() === '') throw new ValidationError('correlationId', 'must not be empty');
    if (input.correlationId.length > MAX_CORRELATION_ID) {
      throw new ValidationError('correlationId', `must be at most ${MAX_CORRELATION_ID} characters`);
    }
  }
  if (input.reason != null && input.reason.length > MAX_REASON) {
    throw new ValidationError('reason', `must be at most ${MAX_REASON} characters`);
  }
}

/** §3.1 on the state read now; publish execution (the worker) re-checks with it too. */
export function priceGuardrails(state: PricingState, newPrice: Decimal) {
  return evaluatePriceChange(
    {
      economicsBase: state.economicsInput,
      currentPriceIncVat: state.currentPriceIncVat,
      referencePriceIncVat: state.referencePriceIncVat,
      newPriceIncVat: newPrice,
      daysOfCover: state.daysOfCover,
    },
    state.settings,
  );
}

const moneyOrNull = (value: Decimal | null): string | null => (value === null ? null : value.toFixed(2));

async function stateOrNotFound(db: Parameters<typeof loadPricingState>[0], listingId: number, shownId: string, asOf: Date) {
  const state = await loadPricingState(db, listingId, asOf);
  if (!state) throw new NotFoundError('Listing', shownId);
  return state;
}

function refuseArchived(state: PricingState, action: string): void {
  if (state.listing.status === 'archived') {
    throw new InvalidTransitionError('archived', action, `cannot ${action.toLowerCase().replaceAll('_', ' ')} for an archived listing`);
  }
}

/** §3.1 at the new price, with the economics before and after; no writes. */
export async function previewPriceChange(ctx: Pick<Context, 'prisma' | 'now'>, input: { listingId: string; priceIncVat: string }): Promise<PricePreview> {
  const listingId = decodeId(input.listingId, 'Listing', 'listingId');
  const newPrice = parseNewPrice(input.priceIncVat);
  const state = await stateOrNotFound(ctx.prisma, listingId, input.listingId, ctx.now);
  const result = priceGuardrails(state, newPrice);
  return {
    ...guardrailResultToJson(result),
    listingId,
    currentPriceIncVat: moneyOrNull(state.currentPriceIncVat),
    newPriceIncVat: newPrice.toFixed(2),
    referencePriceIncVat: moneyOrNull(state.referencePriceIncVat),
    daysOfCover: state.daysOfCover?.toString() ?? null,
    economicsBefore: state.economicsBefore,
    economicsAfter: result.economicsAfter,
  };
}

/** §3.2 for the new quantity; no writes. */
export async function previewStockChange(
  ctx: Pick<Context, 'prisma' | 'now'>,
  input: { listingId: string; availableQuantity: number },
): Promise<StockPreview> {
  const listingId = decodeId(input.listingId, 'Listing', 'listingId');
  const state = await stateOrNotFound(ctx.prisma, listingId, input.listingId, ctx.now);
  const result = evaluateStockChange({ currentQuantity: state.currentQuantity, newQuantity: input.availableQuantity }, state.settings);
  return { ...guardrailResultToJson(result), listingId, currentQuantity: state.currentQuantity, newQuantity: input.availableQuantity };
}

interface DraftRequestBase {
  listingId: number;
  /** As the client gave it, for NotFoundError. */
  shownListingId?: string;
  reason?: string | null;
  correlationId?: string | null;
  recommendationId?: number | null;
  now: Date;
  /** The calling key (MutationTools.actor): created_by of the job and its event. */
  actor: string;
  /** Failure-injection point of the calling mutation, passed on to createPublishJob (runs after the job insert). */
  checkpoint?: (label: string) => Promise<void>;
}

export interface DraftPriceChangeRequest extends DraftRequestBase {
  priceIncVat: Decimal;
}

export interface DraftStockChangeRequest extends DraftRequestBase {
  availableQuantity: number;
}

type DraftRequest = (DraftPriceChangeRequest & { kind: 'PRICE' }) | (DraftStockChangeRequest & { kind: 'STOCK' });

/**
 * The guarded manual-publish step on an open transaction: locks the listing, recomputes the
 * guardrails (§3.1 price, §3.2 stock: BLOCK rejects, WARN is returned) on the state read now, and
 * creates the PUBLISH_*_CHANGE job + *_CHANGE_DRAFTED event. Throws GuardrailViolationError /
 * DuplicateJobError / NotFoundError / InvalidTransitionError; the caller's transaction then rolls
 * back. Recommendation accept calls it with its recommendationId.
 */
async function draftPublish(tx: Tx, request: DraftRequest): Promise<PublishResult> {
  const shownId = request.shownListingId ?? String(request.listingId);
  await lockRowOrNotFound(tx, 'listings', request.listingId, 'Listing', shownId);
  const state = await stateOrNotFound(tx, request.listingId, shownId, request.now);
  refuseArchived(state, request.kind === 'PRICE' ? 'PUBLISH_PRICE_CHANGE' : 'PUBLISH_STOCK_CHANGE');
  const change =
    request.kind === 'PRICE'
      ? {
          result: priceGuardrails(state, request.priceIncVat),
          newValue: request.priceIncVat.toFixed(2),
          previousValue: moneyOrNull(state.currentPriceIncVat),
        }
      : {
          result: evaluateStockChange({ currentQuantity: state.currentQuantity, newQuantity: request.availableQuantity }, state.settings),
          newValue: request.availableQuantity,
          previousValue: state.currentQuantity,
        };
  const guardrails = guardrailResultToJson(change.result);
  if (!change.result.passed) throw new GuardrailViolationError(change.result.violations, guardrails);
  const { job, event } = await createPublishJob(tx, {
    kind: request.kind,
    listingId: request.listingId,
    newValue: change.newValue,
    previousValue: change.previousValue,
    reason: request.reason ?? null,
    correlationId: request.correlationId ?? null,
    recommendationId: request.recommendationId ?? null,
    createdBy: request.actor,
    now: request.now,
    checkpoint: request.checkpoint,
  });
  return { listingId: request.listingId, jobId: job.id, listingEventId: event.id, correlationId: event.correlationId ?? '', guardrails };
}

export const draftPriceChange = (tx: Tx, request: DraftPriceChangeRequest) => draftPublish(tx, { ...request, kind: 'PRICE' });
export const draftStockChange = (tx: Tx, request: DraftStockChangeRequest) => draftPublish(tx, { ...request, kind: 'STOCK' });

export type PublishOutcome = PublishResult & { replayed: boolean };

type PublishChange = { kind: 'PRICE'; priceIncVat: Decimal } | { kind: 'STOCK'; availableQuantity: number };

/** publishPriceChange / publishStockChange: the guarded publish step in its own retry-safe transaction. */
async function publish(
  ctx: MutationContext,
  name: string,
  input: PublishPriceInput | PublishStockInput,
  parseChange: () => PublishChange,
): Promise<PublishOutcome> {
  const listingId = decodeId(input.listingId, 'Listing', 'listingId');
  const change = parseChange();
  checkTexts(input);
  const run = await runMutation(
    ctx,
    { name, idempotencyKey: input.idempotencyKey, input, constraintErrors: publishDedupErrors(change.kind, listingId) },
    (tx, m) =>
      draftPublish(tx, {
        ...change,
        listingId,
        shownListingId: input.listingId,
        reason: input.reason,
        correlationId: input.correlationId,
        now: m.now,
        actor: m.actor,
        checkpoint: m.checkpoint,
      }),
  );
  return run.resultWithReplayed;
}

export const publishPriceChange = (ctx: Pick<Context, 'prisma' | 'now'>, input: PublishPriceInput) =>
  publish(ctx, 'publishPriceChange', input, () => ({ kind: 'PRICE', priceIncVat: parseNewPrice(input.priceIncVat) }));

export const publishStockChange = (ctx: Pick<Context, 'prisma' | 'now'>, input: PublishStockInput) =>
  publish(ctx, 'publishStockChange', input, () => ({ kind: 'STOCK', availableQuantity: input.availableQuantity }));
