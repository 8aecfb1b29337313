import { createComponent, deactivateComponent, updateComponent } from '../resolvers/components.js';
import { upsertCostOverride } from '../resolvers/cost-overrides.js';
import { requestListingEnrichment, type EnrichmentJobResult } from '../resolvers/enrichment.js';
import { archiveListing, createListing, updateListing } from '../resolvers/listing-records.js';
import { updateGuardrailSettings } from '../resolvers/settings.js';
import { createSupplier, deactivateSupplier, updateSupplier } from '../resolvers/suppliers.js';
import { AUTHENTICATED, builder } from './builder.js';
import { InvalidTransitionError } from './errors.js';
import { FulfillmentChannelEnum, ListingStatusEnum, storedFulfillmentChannel, storedListingStatus } from './listing-enums.js';
import { BASE_MUTATION_ERRORS, idempotencyKeyField, mutationResult } from './mutation-contract.js';

/**
 * Listing, catalog (components, suppliers), cost-override, guardrail-settings and enrichment
 * mutations for scripts. Each takes one `input` (with an optional idempotencyKey) and returns its
 * payload or a typed error. Price and quantity change only through publishPriceChange /
 * publishStockChange (mutations-pricing.ts).
 */

const ERRORS = [...BASE_MUTATION_ERRORS, InvalidTransitionError];
const id = (value: string | number) => String(value);

// ── Payloads ───────────────────────────────────────────────────────────────────────────────────

const ListingPayload = builder.objectRef<{ listingId: number; listingEventId: number | null; replayed: boolean }>('ListingPayload').implement({
  authScopes: AUTHENTICATED,
  fields: (t) => ({
    listing: t.prismaField({
      type: 'Listing',
      resolve: (query, p, _args, ctx) => ctx.prisma.listing.findUniqueOrThrow({ ...query, where: { id: p.listingId } }),
    }),
    listingEvent: t.prismaField({
      type: 'ListingEvent',
      nullable: true,
      description: 'The audit row written with the change (LISTING_CREATED / LISTING_ARCHIVED); null for descriptive edits.',
      resolve: (query, p, _args, ctx) =>
        p.listingEventId === null ? null : ctx.prisma.listingEvent.findUniqueOrThrow({ ...query, where: { id: p.listingEventId } }),
    }),
    replayed: t.exposeBoolean('replayed'),
  }),
});

const ComponentPayload = builder.objectRef<{ id: number; replayed: boolean }>('ComponentPayload').implement({
  authScopes: AUTHENTICATED,
  fields: (t) => ({
    component: t.prismaField({
      type: 'Component',
      resolve: (query, p, _args, ctx) => ctx.prisma.component.findUniqueOrThrow({ ...query, where: { id: p.id } }),
    }),
    replayed: t.exposeBoolean('replayed'),
  }),
});

const SupplierPayload = builder.objectRef<{ id: number; replayed: boolean }>('SupplierPayload').implement({
  authScopes: AUTHENTICATED,
  fields: (t) => ({
    supplier: t.prismaField({
      type: 'Supplier',
      resolve: (query, p, _args, ctx) => ctx.prisma.supplier.findUniqueOrThrow({ ...query, where: { id: p.id } }),
    }),
    replayed: t.exposeBoolean('replayed'),
  }),
});

const CostOverridePayload = builder
  .objectRef<{ listingId: number; costOverrideId: number; listingEventId: number; replayed: boolean }>('UpsertCostOverridePayload')
  .implement({
    authScopes: AUTHENTICATED,
    fields: (t) => ({
      costOverride: t.prismaField({
        type: 'ListingCostOverride',
        resolve: (query, p, _args, ctx) => ctx.prisma.listingCostOverride.findUniqueOrThrow({ ...query, where: { id: p.costOverrideId } }),
      }),
      listing: t.prismaField({
        type: 'Listing',
        resolve: (query, p, _args, ctx) => ctx.prisma.listing.findUniqueOrThrow({ ...query, where: { id: p.listingId } }),
      }),
      listingEvent: t.prismaField({
        type: 'ListingEvent',
        description: 'COST_OVERRIDE_UPDATED: the four costs before → after.',
        resolve: (query, p, _args, ctx) => ctx.prisma.listingEvent.findUniqueOrThrow({ ...query, where: { id: p.listingEventId } }),
      }),
      replayed: t.exposeBoolean('replayed'),
    }),
  });

const GuardrailSettingsPayload = builder
  .objectRef<{ keys: string[]; allKeys: string[]; replayed: boolean }>('UpdateGuardrailSettingsPayload')
  .implement({
    authScopes: AUTHENTICATED,
    fields: (t) => ({
      updated: t.prismaField({
        type: ['Setting'],
        description: 'The settings rows this call wrote.',
        resolve: (query, p, _args, ctx) => ctx.prisma.setting.findMany({ ...query, where: { key: { in: p.keys } }, orderBy: { key: 'asc' } }),
      }),
      settings: t.prismaField({
        type: ['Setting'],
        description: 'Every guardrail setting row and default_vat_rate after the change.',
        resolve: (query, p, _args, ctx) => ctx.prisma.setting.findMany({ ...query, where: { key: { in: p.allKeys } }, orderBy: { key: 'asc' } }),
      }),
      replayed: t.exposeBoolean('replayed'),
    }),
  });

const EnrichmentJobRef = builder.objectRef<EnrichmentJobResult>('EnrichmentJob').implement({
  authScopes: AUTHENTICATED,
  fields: (t) => ({
    jobType: t.exposeString('jobType'),
    created: t.exposeBoolean('created', { description: 'False when an identical PENDING job already existed and was reused.' }),
    job: t.prismaField({
      type: 'Job',
      resolve: (query, r, _args, ctx) => ctx.prisma.job.findUniqueOrThrow({ ...query, where: { id: r.jobId } }),
    }),
  }),
});

const EnrichmentPayload = builder
  .objectRef<{ listingId: number; jobs: EnrichmentJobResult[]; replayed: boolean }>('RequestListingEnrichmentPayload')
  .implement({
    authScopes: AUTHENTICATED,
    fields: (t) => ({
      listing: t.prismaField({
        type: 'Listing',
        resolve: (query, p, _args, ctx) => ctx.prisma.listing.findUniqueOrThrow({ ...query, where: { id: p.listingId } }),
      }),
      jobs: t.field({ type: [EnrichmentJobRef], resolve: (p) => p.jobs }),
      replayed: t.exposeBoolean('replayed'),
    }),
  });

// ── Inputs ─────────────────────────────────────────────────────────────────────────────────────

const CreateListingInput = builder.inputType('CreateListingInput', {
  fields: (t) => ({
    sellerSku: t.string({ required: true }),
    asin: t.string(),
    title: t.string(),
    description: t.string(),
    bulletPoints: t.stringList(),
    priceIncVat: t.field({ type: 'Decimal', description: 'Initial price; later changes go through publishPriceChange.' }),
    availableQuantity: t.int({ description: 'Initial quantity; later changes go through publishStockChange.' }),
    category: t.string(),
    status: t.field({ type: ListingStatusEnum, description: 'ACTIVE (default) or INACTIVE.' }),
    fulfillmentChannel: t.field({ type: FulfillmentChannelEnum, description: 'FBM (default) or FBA.' }),
    marketplaceId: t.id(),
    idempotencyKey: idempotencyKeyField(t),
  }),
});

const UpdateListingInput = builder.inputType('UpdateListingInput', {
  description: 'Omitted or null fields stay as they are; an empty string clears a text field.',
  fields: (t) => ({
    id: t.id({ required: true }),
    asin: t.string(),
    title: t.string(),
    description: t.string(),
    bulletPoints: t.stringList(),
    category: t.string(),
    status: t.field({ type: ListingStatusEnum, description: 'ACTIVE or INACTIVE; archive with archiveListing.' }),
    fulfillmentChannel: t.field({ type: FulfillmentChannelEnum, description: 'FBM or FBA.' }),
    marketplaceId: t.id(),
    idempotencyKey: idempotencyKeyField(t),
  }),
});

const ArchiveListingInput = builder.inputType('ArchiveListingInput', {
  fields: (t) => ({
    id: t.id({ required: true }),
    reason: t.string(),
    idempotencyKey: idempotencyKeyField(t),
  }),
});

const supplierFields = (t: PothosSchemaTypes.InputFieldBuilder<any, 'InputObject'>) => ({
  contactName: t.string(),
  email: t.string(),
  phone: t.string(),
  website: t.string(),
  address: t.string(),
  currencyCode: t.string(),
  leadTimeDays: t.int(),
  minimumOrderValue: t.field({ type: 'Decimal' }),
  paymentTerms: t.string(),
  notes: t.string(),
  rating: t.int({ description: '1 to 5.' }),
  idempotencyKey: idempotencyKeyField(t),
});

const CreateSupplierInput = builder.inputType('CreateSupplierInput', {
  fields: (t) => ({ name: t.string({ required: true }), ...supplierFields(t) }),
});
const UpdateSupplierInput = builder.inputType('UpdateSupplierInput', {
  description: 'Omitted or null fields stay as they are; an empty string clears a text field.',
  fields: (t) => ({ id: t.id({ required: true }), name: t.string(), ...supplierFields(t) }),
});

const componentFields = (t: PothosSchemaTypes.InputFieldBuilder<any, 'InputObject'>) => ({
  description: t.string(),
  category: t.string(),
  supplierId: t.id({ description: 'A Supplier ID; an empty string detaches the supplier.' }),
  supplierSku: t.string(),
  unitCostExVat: t.field({ type: 'Decimal' }),
  unitOfMeasure: t.string(),
  packSize: t.int(),
  weightGrams: t.field({ type: 'Decimal' }),
  minStockLevel: t.int(),
  currentStock: t.int(),
  reorderPoint: t.int(),
  idempotencyKey: idempotencyKeyField(t),
});

const CreateComponentInput = builder.inputType('CreateComponentInput', {
  fields: (t) => ({ componentSku: t.string({ required: true }), name: t.string({ required: true }), ...componentFields(t) }),
});
const UpdateComponentInput = builder.inputType('UpdateComponentInput', {
  description: 'Omitted or null fields stay as they are; an empty string clears a text field.',
  fields: (t) => ({ id: t.id({ required: true }), componentSku: t.string(), name: t.string(), ...componentFields(t) }),
});

const DeactivateInput = (name: string) =>
  builder.inputType(name, {
    fields: (t) => ({ id: t.id({ required: true }), idempotencyKey: idempotencyKeyField(t) }),
  });
const DeactivateComponentInput = DeactivateInput('DeactivateComponentInput');
const DeactivateSupplierInput = DeactivateInput('DeactivateSupplierInput');

const UpsertCostOverrideInput = builder.inputType('UpsertCostOverrideInput', {
  description: 'Patch semantics: an omitted or null cost keeps its current value (0 when the listing has no override row). Costs are ex VAT, ≥ 0.',
  fields: (t) => ({
    listingId: t.id({ required: true }),
    shippingCostExVat: t.field({ type: 'Decimal' }),
    packagingCostExVat: t.field({ type: 'Decimal' }),
    handlingCostExVat: t.field({ type: 'Decimal' }),
    otherCostExVat: t.field({ type: 'Decimal' }),
    notes: t.string(),
    idempotencyKey: idempotencyKeyField(t),
  }),
});

const UpdateGuardrailSettingsInput = builder.inputType('UpdateGuardrailSettingsInput', {
  description: 'Only the given settings change.',
  fields: (t) => ({
    minMargin: t.field({ type: 'Decimal', description: 'Fraction in [0, 1), e.g. "0.15".' }),
    maxPriceChangePctPerDay: t.field({ type: 'Decimal', description: 'Fraction in (0, 1], e.g. "0.05".' }),
    minDaysOfCoverBeforePriceChange: t.int({ description: 'Whole days ≥ 0.' }),
    minStockThreshold: t.int({ description: 'Units ≥ 0.' }),
    allowPriceBelowBreakEven: t.boolean(),
    defaultVatRate: t.field({ type: 'Decimal', description: 'Fraction in [0, 1), used when a listing has no marketplace.' }),
    idempotencyKey: idempotencyKeyField(t),
  }),
});

const RequestListingEnrichmentInput = builder.inputType('RequestListingEnrichmentInput', {
  fields: (t) => ({
    listingId: t.id({ required: true }),
    idempotencyKey: idempotencyKeyField(t),
  }),
});

// ── Fields ─────────────────────────────────────────────────────────────────────────────────────

builder.mutationFields((t) => ({
  createListing: t.field({
    authScopes: { scope: 'listings:write' },
    type: ListingPayload,
    description: 'Creates a listing and its LISTING_CREATED event.',
    errors: mutationResult('createListing', ERRORS),
    args: { input: t.arg({ type: CreateListingInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      createListing(ctx, {
        ...input,
        status: storedListingStatus(input.status),
        fulfillmentChannel: storedFulfillmentChannel(input.fulfillmentChannel),
        marketplaceId: input.marketplaceId == null ? input.marketplaceId : id(input.marketplaceId),
      }),
  }),
  updateListing: t.field({
    authScopes: { scope: 'listings:write' },
    type: ListingPayload,
    description: 'Edits descriptive fields (not price or quantity: publish those; not archived: use archiveListing).',
    errors: mutationResult('updateListing', ERRORS),
    args: { input: t.arg({ type: UpdateListingInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      updateListing(ctx, {
        ...input,
        id: id(input.id),
        status: storedListingStatus(input.status),
        fulfillmentChannel: storedFulfillmentChannel(input.fulfillmentChannel),
        marketplaceId: input.marketplaceId == null ? input.marketplaceId : id(input.marketplaceId),
      }),
  }),
  archiveListing: t.field({
    authScopes: { scope: 'listings:write' },
    type: ListingPayload,
    description: 'Sets status archived and records LISTING_ARCHIVED {status} → {status: "archived"}.',
    errors: mutationResult('archiveListing', ERRORS),
    args: { input: t.arg({ type: ArchiveListingInput, required: true }) },
    resolve: (_root, { input }, ctx) => archiveListing(ctx, { ...input, id: id(input.id) }),
  }),
  createComponent: t.field({
    authScopes: { scope: 'catalog:write' },
    type: ComponentPayload,
    errors: mutationResult('createComponent', ERRORS),
    args: { input: t.arg({ type: CreateComponentInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      createComponent(ctx, { ...input, supplierId: input.supplierId == null ? input.supplierId : id(input.supplierId) }),
  }),
  updateComponent: t.field({
    authScopes: { scope: 'catalog:write' },
    type: ComponentPayload,
    description: 'A changed unit cost is appended to price_history; every BOM using the component picks it up (costs are read live).',
    errors: mutationResult('updateComponent', ERRORS),
    args: { input: t.arg({ type: UpdateComponentInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      updateComponent(ctx, { ...input, id: id(input.id), supplierId: input.supplierId == null ? input.supplierId : id(input.supplierId) }),
  }),
  deactivateComponent: t.field({
    authScopes: { scope: 'catalog:write' },
    type: ComponentPayload,
    errors: mutationResult('deactivateComponent', ERRORS),
    args: { input: t.arg({ type: DeactivateComponentInput, required: true }) },
    resolve: (_root, { input }, ctx) => deactivateComponent(ctx, { ...input, id: id(input.id) }),
  }),
  createSupplier: t.field({
    authScopes: { scope: 'catalog:write' },
    type: SupplierPayload,
    errors: mutationResult('createSupplier', ERRORS),
    args: { input: t.arg({ type: CreateSupplierInput, required: true }) },
    resolve: (_root, { input }, ctx) => createSupplier(ctx, input),
  }),
  updateSupplier: t.field({
    authScopes: { scope: 'catalog:write' },
    type: SupplierPayload,
    errors: mutationResult('updateSupplier', ERRORS),
    args: { input: t.arg({ type: UpdateSupplierInput, required: true }) },
    resolve: (_root, { input }, ctx) => updateSupplier(ctx, { ...input, id: id(input.id) }),
  }),
  deactivateSupplier: t.field({
    authScopes: { scope: 'catalog:write' },
    type: SupplierPayload,
    errors: mutationResult('deactivateSupplier', ERRORS),
    args: { input: t.arg({ type: DeactivateSupplierInput, required: true }) },
    resolve: (_root, { input }, ctx) => deactivateSupplier(ctx, { ...input, id: id(input.id) }),
  }),
  upsertCostOverride: t.field({
    authScopes: { scope: 'catalog:write' },
    type: CostOverridePayload,
    description: 'Creates or patches the listing\'s cost overrides and records COST_OVERRIDE_UPDATED (old four costs → new four).',
    errors: mutationResult('upsertCostOverride', ERRORS),
    args: { input: t.arg({ type: UpsertCostOverrideInput, required: true }) },
    resolve: (_root, { input }, ctx) => upsertCostOverride(ctx, { ...input, listingId: id(input.listingId) }),
  }),
  updateGuardrailSettings: t.field({
    authScopes: { scope: 'settings:write' },
    type: GuardrailSettingsPayload,
    description: 'Validates the ranges and writes the settings rows; guardrails read them on the next call.',
    errors: mutationResult('updateGuardrailSettings', ERRORS),
    args: { input: t.arg({ type: UpdateGuardrailSettingsInput, required: true }) },
    resolve: (_root, { input }, ctx) => updateGuardrailSettings(ctx, input),
  }),
  requestListingEnrichment: t.field({
    authScopes: { scope: 'listings:write' },
    type: EnrichmentPayload,
    description:
      'Queues SYNC_AMAZON_OFFER, and SYNC_AMAZON_CATALOG + SYNC_KEEPA_ASIN when the listing has an ASIN; an identical PENDING job is reused.',
    errors: mutationResult('requestListingEnrichment', ERRORS),
    args: { input: t.arg({ type: RequestListingEnrichmentInput, required: true }) },
    resolve: (_root, { input }, ctx) => requestListingEnrichment(ctx, { ...input, listingId: id(input.listingId) }),
  }),
}));
