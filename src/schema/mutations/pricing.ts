import type { GuardrailCheck } from '../../domain/guardrails.js';
import {
  previewPriceChange,
  previewStockChange,
  publishPriceChange,
  publishStockChange,
  type GuardrailResultJson,
  type PricePreview,
  type PublishResult,
  type StockPreview,
} from '../../resolvers/pricing.js';
import { mayWriteTarget } from '../../auth/row-limits.js';
import type { Context } from '../../context.js';
import { DuplicateJobError, GuardrailViolationError, InvalidTransitionError, NotFoundError } from '../../domain/errors.js';
import { AUTHENTICATED, builder } from '../builder.js';
import { safeDecodeGlobalID } from '../global-id.js';
import { BASE_MUTATION_ERRORS, idempotencyKeyField, mutationResult } from '../mutation-contract.js';
import { EconomicsRef } from '../listing.js';

/** Price and stock changes: previews (no writes) and guarded publishes (docs/domain-rules.md §3, §6.2, §7). */

export const GuardrailSeverityEnum = builder.enumType('GuardrailSeverity', {
  values: {
    BLOCK: { description: 'A failed BLOCK check refuses the publish.' },
    WARN: { description: 'A failed WARN check is reported; the publish goes ahead.' },
  } as const,
});

export const GuardrailCheckRef = builder.objectRef<GuardrailCheck>('GuardrailCheck').implement({
  authScopes: AUTHENTICATED,
  description: 'One guardrail rule (docs/domain-rules.md §3.3). Skipped rules pass with a message starting "skipped:".',
  fields: (t) => ({
    rule: t.exposeString('rule'),
    passed: t.exposeBoolean('passed'),
    severity: t.field({ type: GuardrailSeverityEnum, resolve: (check) => check.severity }),
    // Thresholds, actual values and messages of the margin rules reveal costs.
    threshold: t.expose('threshold', { type: 'Decimal', nullable: true, authScopes: { scope: 'costs:read' } }),
    actual: t.expose('actual', { type: 'Decimal', nullable: true, description: 'Null when the input was missing.', authScopes: { scope: 'costs:read' } }),
    message: t.exposeString('message', { nullable: true, authScopes: { scope: 'costs:read' } }),
  }),
});

const guardrailFields = builder.objectRef<GuardrailResultJson>('GuardrailResult').implement({
  authScopes: AUTHENTICATED,
  description: '`passed` is false only when a BLOCK check failed; `violations` lists every failed check.',
  fields: (t) => ({
    passed: t.exposeBoolean('passed'),
    checks: t.field({ type: [GuardrailCheckRef], resolve: (r) => r.checks }),
    violations: t.field({ type: [GuardrailCheckRef], resolve: (r) => r.violations }),
  }),
});

const PriceChangePreviewRef = builder.objectRef<PricePreview>('PriceChangePreview').implement({
  authScopes: AUTHENTICATED,
  description: 'The price-change guardrails (docs/domain-rules.md §3.1) at the new price on the state read now. Nothing is written.',
  fields: (t) => ({
    passed: t.exposeBoolean('passed'),
    checks: t.field({ type: [GuardrailCheckRef], resolve: (p) => p.checks }),
    violations: t.field({ type: [GuardrailCheckRef], resolve: (p) => p.violations }),
    currentPriceIncVat: t.expose('currentPriceIncVat', { type: 'Decimal', nullable: true }),
    newPriceIncVat: t.expose('newPriceIncVat', { type: 'Decimal' }),
    referencePriceIncVat: t.expose('referencePriceIncVat', {
      type: 'Decimal',
      nullable: true,
      description: 'Price the daily change limit is measured from: before price of the earliest PRICE_CHANGE_SUCCEEDED in the last 24 h, else the current price.',
    }),
    daysOfCover: t.expose('daysOfCover', { type: 'Decimal', nullable: true, description: 'Current quantity / 30-day velocity; null without sales.' }),
    economicsBefore: t.field({ type: EconomicsRef, resolve: (p) => p.economicsBefore }),
    economicsAfter: t.field({ type: EconomicsRef, resolve: (p) => p.economicsAfter }),
    listing: t.prismaField({
      type: 'Listing',
      resolve: (query, p, _args, ctx) => ctx.prisma.listing.findUniqueOrThrow({ ...query, where: { id: p.listingId } }),
    }),
  }),
});

const StockChangePreviewRef = builder.objectRef<StockPreview>('StockChangePreview').implement({
  authScopes: AUTHENTICATED,
  description: 'The stock-change guardrails (docs/domain-rules.md §3.2) for the new quantity. Nothing is written.',
  fields: (t) => ({
    passed: t.exposeBoolean('passed'),
    checks: t.field({ type: [GuardrailCheckRef], resolve: (p) => p.checks }),
    violations: t.field({ type: [GuardrailCheckRef], resolve: (p) => p.violations }),
    currentQuantity: t.exposeInt('currentQuantity', { nullable: true }),
    newQuantity: t.exposeInt('newQuantity'),
    listing: t.prismaField({
      type: 'Listing',
      resolve: (query, p, _args, ctx) => ctx.prisma.listing.findUniqueOrThrow({ ...query, where: { id: p.listingId } }),
    }),
  }),
});

type PublishPayloadShape = PublishResult & { replayed: boolean };

function publishPayload(name: string, description: string) {
  return builder.objectRef<PublishPayloadShape>(name).implement({
    authScopes: AUTHENTICATED,
    description,
    fields: (t) => ({
      listing: t.prismaField({
        type: 'Listing',
        resolve: (query, p, _args, ctx) => ctx.prisma.listing.findUniqueOrThrow({ ...query, where: { id: p.listingId } }),
      }),
      job: t.prismaField({
        type: 'Job',
        description: 'The PENDING publish job (priority 7).',
        resolve: (query, p, _args, ctx) => ctx.prisma.job.findUniqueOrThrow({ ...query, where: { id: p.jobId } }),
      }),
      listingEvent: t.prismaField({
        type: 'ListingEvent',
        description: 'The *_CHANGE_DRAFTED event written with the job.',
        resolve: (query, p, _args, ctx) => ctx.prisma.listingEvent.findUniqueOrThrow({ ...query, where: { id: p.listingEventId } }),
      }),
      correlationId: t.exposeString('correlationId'),
      guardrails: t.field({ type: guardrailFields, description: 'Recomputed on the server; WARN violations are listed here.', resolve: (p) => p.guardrails }),
      replayed: t.exposeBoolean('replayed', { description: 'True when an idempotency key replayed an earlier call (nothing new was written).' }),
    }),
  });
}

const PublishPriceChangePayload = publishPayload('PublishPriceChangePayload', 'A PUBLISH_PRICE_CHANGE job and its PRICE_CHANGE_DRAFTED event.');
const PublishStockChangePayload = publishPayload('PublishStockChangePayload', 'A PUBLISH_STOCK_CHANGE job and its STOCK_CHANGE_DRAFTED event.');

const PREVIEW_KEY_NOTE = 'A preview writes nothing, so here the key is accepted for uniformity and has no effect.';

const PreviewPriceChangeInput = builder.inputType('PreviewPriceChangeInput', {
  fields: (t) => ({
    listingId: t.id({ required: true }),
    priceIncVat: t.field({ type: 'Decimal', required: true }),
    idempotencyKey: idempotencyKeyField(t, PREVIEW_KEY_NOTE),
  }),
});

const PublishPriceChangeInput = builder.inputType('PublishPriceChangeInput', {
  fields: (t) => ({
    listingId: t.id({ required: true }),
    priceIncVat: t.field({ type: 'Decimal', required: true }),
    reason: t.string(),
    correlationId: t.string({ description: 'Ties the job and its events together; generated when omitted (max 100 characters).' }),
    idempotencyKey: idempotencyKeyField(t),
  }),
});

const PreviewStockChangeInput = builder.inputType('PreviewStockChangeInput', {
  fields: (t) => ({
    listingId: t.id({ required: true }),
    availableQuantity: t.int({ required: true }),
    idempotencyKey: idempotencyKeyField(t, PREVIEW_KEY_NOTE),
  }),
});

const PublishStockChangeInput = builder.inputType('PublishStockChangeInput', {
  fields: (t) => ({
    listingId: t.id({ required: true }),
    availableQuantity: t.int({ required: true }),
    reason: t.string(),
    correlationId: t.string({ description: 'Ties the job and its events together; generated when omitted (max 100 characters).' }),
    idempotencyKey: idempotencyKeyField(t),
  }),
});

/** Partner row limits: a listing of another marketplace is not found (nothing is read or written). */
async function ownListing(ctx: Context, listingId: string): Promise<void> {
  if (!(await mayWriteTarget(ctx, listingId, safeDecodeGlobalID))) throw new NotFoundError('Listing', listingId);
}

const PREVIEW_ERRORS = [...BASE_MUTATION_ERRORS];
const PUBLISH_ERRORS = [...BASE_MUTATION_ERRORS, GuardrailViolationError, DuplicateJobError, InvalidTransitionError];

builder.mutationFields((t) => ({
  previewPriceChange: t.field({
    authScopes: { scope: 'pricing:write' },
    type: PriceChangePreviewRef,
    description: 'Evaluates the price guardrails at a new price with the economics before and after. Writes nothing.',
    errors: mutationResult('previewPriceChange', PREVIEW_ERRORS),
    args: { input: t.arg({ type: PreviewPriceChangeInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      await ownListing(ctx, String(input.listingId));
      return previewPriceChange(ctx, { listingId: String(input.listingId), priceIncVat: input.priceIncVat });
    },
  }),
  previewStockChange: t.field({
    authScopes: { scope: 'pricing:write' },
    type: StockChangePreviewRef,
    description: 'Evaluates the stock guardrails for a new quantity. Writes nothing.',
    errors: mutationResult('previewStockChange', PREVIEW_ERRORS),
    args: { input: t.arg({ type: PreviewStockChangeInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      await ownListing(ctx, String(input.listingId));
      return previewStockChange(ctx, { listingId: String(input.listingId), availableQuantity: input.availableQuantity });
    },
  }),
  publishPriceChange: t.field({
    authScopes: { scope: 'pricing:write' },
    type: PublishPriceChangePayload,
    description:
      'Re-evaluates the price guardrails on the server and, if they pass, creates the PUBLISH_PRICE_CHANGE job and PRICE_CHANGE_DRAFTED event in one transaction.',
    errors: mutationResult('publishPriceChange', PUBLISH_ERRORS),
    args: { input: t.arg({ type: PublishPriceChangeInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      await ownListing(ctx, String(input.listingId));
      return publishPriceChange(ctx, { ...input, listingId: String(input.listingId) });
    },
  }),
  publishStockChange: t.field({
    authScopes: { scope: 'pricing:write' },
    type: PublishStockChangePayload,
    description:
      'Re-evaluates the stock guardrails (BLOCK refuses, WARN is reported) and creates the PUBLISH_STOCK_CHANGE job and STOCK_CHANGE_DRAFTED event in one transaction.',
    errors: mutationResult('publishStockChange', PUBLISH_ERRORS),
    args: { input: t.arg({ type: PublishStockChangeInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      await ownListing(ctx, String(input.listingId));
      return publishStockChange(ctx, { ...input, listingId: String(input.listingId) });
    },
  }),
}));
