import {
  activateBomVersion,
  createBomVersion,
  replaceBomLines,
  type BomMutationPayload,
} from '../../resolvers/bom.js';
import { BomRef } from '../bom.js';
import { AUTHENTICATED, builder } from '../builder.js';
import { ListingEventRef } from '../events.js';
import { JobRef } from '../job.js';
import { EmptyBomError } from '../../domain/errors.js';
import { BASE_MUTATION_ERRORS, idempotencyKeyField, mutationResult } from '../mutation-contract.js';

const BOM_ERRORS = [...BASE_MUTATION_ERRORS, EmptyBomError];

const BomLineInput = builder.inputType('BomLineInput', {
  fields: (t) => ({
    componentId: t.id({ required: true, description: 'Global ID of an existing Component.' }),
    quantity: t.field({ type: 'Decimal', required: true, description: '> 0, at most 4 decimal places.' }),
    wastageRate: t.field({ type: 'Decimal', required: false, description: 'Fraction in [0, 1); default 0.' }),
    notes: t.string({ required: false }),
  }),
});

const CreateBomVersionInput = builder.inputType('CreateBomVersionInput', {
  fields: (t) => ({
    listingId: t.id({ required: false, description: 'A Listing ID (LISTING scope). Give exactly one of listingId / asinEntityId.' }),
    asinEntityId: t.id({ required: false, description: 'An AsinEntity ID (ASIN_SCENARIO scope).' }),
    lines: t.field({ type: [BomLineInput], required: true }),
    notes: t.string({ required: false }),
    activate: t.boolean({ required: false, defaultValue: true, description: 'Make the new version the active one (default true).' }),
    idempotencyKey: idempotencyKeyField(t),
  }),
});

const ReplaceBomLinesInput = builder.inputType('ReplaceBomLinesInput', {
  fields: (t) => ({
    bomId: t.id({ required: true, description: 'The active version; the new line set becomes version MAX+1, active.' }),
    lines: t.field({ type: [BomLineInput], required: true }),
    notes: t.string({ required: false, description: 'Notes of the new version (default: copied).' }),
    idempotencyKey: idempotencyKeyField(t),
  }),
});

const ActivateBomVersionInput = builder.inputType('ActivateBomVersionInput', {
  fields: (t) => ({
    bomId: t.id({ required: true }),
    idempotencyKey: idempotencyKeyField(t),
  }),
});

function bomPayload(name: string, description: string, changedDescription: string) {
  return builder.objectRef<BomMutationPayload>(name).implement({
    authScopes: AUTHENTICATED,
    description,
    fields: (t) => ({
      bom: t.field({ type: BomRef, resolve: (p) => p.bom }),
      previousActiveBom: t.field({ type: BomRef, nullable: true, description: 'The version this call deactivated.', resolve: (p) => p.previousActiveBom }),
      listingEvent: t.field({
        type: ListingEventRef,
        nullable: true,
        description: 'The BOM_UPDATED event (LISTING scope only; none for a no-op).',
        resolve: (p) => p.listingEvent,
      }),
      featureJob: t.field({ type: JobRef, nullable: true, description: 'The (deduplicated) feature job enqueued.', resolve: (p) => p.featureJob }),
      changed: t.exposeBoolean('changed', { description: changedDescription }),
      replayed: t.exposeBoolean('replayed', { description: 'True when an idempotency key returned an earlier result.' }),
    }),
  });
}

const ALWAYS_CHANGED = 'Always true: a new version was written.';
const CreateBomVersionPayload = bomPayload('CreateBomVersionPayload', 'The new BOM version.', ALWAYS_CHANGED);
const ReplaceBomLinesPayload = bomPayload('ReplaceBomLinesPayload', 'The new version holding the replaced lines.', ALWAYS_CHANGED);
const ActivateBomVersionPayload = bomPayload(
  'ActivateBomVersionPayload',
  'The activated version.',
  'False when nothing had to change (the version was already active: no event, no job).',
);

builder.mutationFields((t) => ({
  createBomVersion: t.field({
    authScopes: { scope: 'bom:write' },
    type: CreateBomVersionPayload,
    description: 'Creates BOM version MAX+1 for a listing or an ASIN scenario, with its lines (docs/domain-rules.md §2).',
    errors: mutationResult('createBomVersion', BOM_ERRORS),
    args: { input: t.arg({ type: CreateBomVersionInput, required: true }) },
    resolve: (_root, { input }, ctx) => createBomVersion(ctx, input),
  }),
  replaceBomLines: t.field({
    authScopes: { scope: 'bom:write' },
    type: ReplaceBomLinesPayload,
    description: 'Replaces the lines of the active version by creating a new active version (versions are immutable).',
    errors: mutationResult('replaceBomLines', BOM_ERRORS),
    args: { input: t.arg({ type: ReplaceBomLinesInput, required: true }) },
    resolve: (_root, { input }, ctx) => replaceBomLines(ctx, input),
  }),
  activateBomVersion: t.field({
    authScopes: { scope: 'bom:write' },
    type: ActivateBomVersionPayload,
    description: 'Activates a version: the current one is closed (effective_to), the target opened, in one locked transaction.',
    errors: mutationResult('activateBomVersion', BOM_ERRORS),
    args: { input: t.arg({ type: ActivateBomVersionInput, required: true }) },
    resolve: (_root, { input }, ctx) => activateBomVersion(ctx, input),
  }),
}));
