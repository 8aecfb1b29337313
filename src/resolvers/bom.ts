/**
 * BOM versioning and activation (docs/domain-rules.md §2, §7). Every write locks the parent row (listing or ASIN
 * entity) FOR UPDATE first, so versions are MAX+1 without gaps or duplicates and exactly one
 * version is active even under concurrent calls; the unique indexes (boms_version_unique,
 * boms_asin_version_unique, the active partial indexes) remain the last line of defence and their
 * violations are retried by runMutation, then reported as ConflictError.
 *
 * Decision (ASIN scenarios): a scenario BOM records no BOM_UPDATED listing event, even when its ASIN
 * entity is linked to a listing — a listing's economics and its event history follow its LISTING
 * BOM only (§1.2), so a scenario change does not change the listing. Scenario writes enqueue
 * COMPUTE_FEATURES_ASIN (scenario_bom_cost_ex_vat is an ASIN feature, §4.2) instead of
 * COMPUTE_FEATURES_LISTING.
 *
 * Unknown components are rejected (ValidationError on lines[i].componentId); the
 * `createMissingComponents` option of §2 is not offered by this API.
 *
 * Decision (empty BOMs, docs/schema-decisions.md): §2 allows an empty line list, so a version
 * without lines may be created as a draft (activate: false), but it never becomes the active
 * version (EmptyBomError): an active empty BOM costs 0.00 and makes every margin look perfect.
 */
import type { Context } from '../context.js';
import { nextVersion } from '../domain/bom.js';
import { bomCost } from '../domain/economics.js';
import { EmptyBomError } from '../domain/errors.js';
import type { Bom, Prisma } from '../generated/prisma/client.js';
import { NotFoundError, ValidationError } from '../domain/errors.js';
import { afterCommit } from './core/after-commit.js';
import { recordListingEvent } from './core/audit-events.js';
import { decodeId } from './global-id.js';
import { enqueueFollowUpJob } from './core/job-enqueueing.js';
import { lockRowOrNotFound } from './core/row-locks.js';
import { runMutation, type Tx } from './core/run-mutation.js';
import {
  parseLines,
  parseScope,
  type ActivateBomVersionArgs,
  type CreateBomVersionArgs,
  type ParsedLine,
  type ReplaceBomLinesArgs,
  type Scope,
} from './bom-input.js';

export type { ActivateBomVersionArgs, BomLineArgs, CreateBomVersionArgs, ReplaceBomLinesArgs } from './bom-input.js';

/** What runMutation stores and replays; the payload is loaded from it after commit. */
export interface BomMutationRef {
  [key: string]: number | boolean | null;
  bomId: number;
  previousActiveBomId: number | null;
  listingEventId: number | null;
  featureJobId: number | null;
  changed: boolean;
}

export interface BomMutationPayload {
  bom: Bom;
  previousActiveBom: Bom | null;
  listingEvent: Prisma.ListingEventGetPayload<object> | null;
  featureJob: Prisma.JobGetPayload<object> | null;
  /** False when activating the version that was already active (a no-op). */
  changed: boolean;
  replayed: boolean;
}

// ── Transaction steps ──────────────────────────────────────────────────────────────────────────

async function lockScope(tx: Tx, scope: Scope): Promise<void> {
  if (scope.kind === 'LISTING') await lockRowOrNotFound(tx, 'listings', scope.listingId, 'Listing', scope.shownId);
  else await lockRowOrNotFound(tx, 'asin_entities', scope.asinEntityId, 'AsinEntity', scope.shownId);
}

function scopeWhere(scope: Scope): Prisma.BomWhereInput {
  return scope.kind === 'LISTING'
    ? { listingId: scope.listingId, scopeType: 'LISTING' }
    : { asinEntityId: scope.asinEntityId, scopeType: 'ASIN_SCENARIO' };
}

function scopeOfBom(bom: Pick<Bom, 'listingId' | 'asinEntityId'>, shownId: string): Scope {
  if (bom.listingId !== null) return { kind: 'LISTING', listingId: bom.listingId, shownId };
  if (bom.asinEntityId !== null) return { kind: 'ASIN_SCENARIO', asinEntityId: bom.asinEntityId, shownId };
  throw new Error(`BOM ${shownId} has no owner (boms_scope_owner_check should make this impossible)`);
}

/** Reads the BOM, locks its parent, then re-reads it: a BOM's parent never changes, its flags might. */
async function lockBomWithParent(tx: Tx, bomId: number, shownId: string): Promise<{ bom: Bom; scope: Scope }> {
  const first = await tx.bom.findUnique({ where: { id: bomId }, select: { listingId: true, asinEntityId: true } });
  if (!first) throw new NotFoundError('Bom', shownId);
  const scope = scopeOfBom(first, shownId);
  await lockScope(tx, scope);
  const bom = await tx.bom.findUnique({ where: { id: bomId } });
  if (!bom) throw new NotFoundError('Bom', shownId);
  return { bom, scope };
}

async function assertComponentsExist(tx: Tx, lines: readonly ParsedLine[]): Promise<void> {
  if (lines.length === 0) return;
  const ids = [...new Set(lines.map((line) => line.componentId))];
  const found = new Set((await tx.component.findMany({ where: { id: { in: ids } }, select: { id: true } })).map((c) => c.id));
  const missing = lines.findIndex((line) => !found.has(line.componentId));
  if (missing >= 0) throw new ValidationError(`lines[${missing}].componentId`, 'no component has this ID');
}

/** `{bom_id, version, bom_cost_ex_vat}` (docs/domain-rules.md §7 BOM_UPDATED), or null when there is no BOM. */
async function bomSnapshot(tx: Tx, bom: Pick<Bom, 'id' | 'version'> | null): Promise<{ bom_id: number; version: number; bom_cost_ex_vat: string; line_count: number } | null> {
  if (!bom) return null;
  const lines = await tx.bomLine.findMany({
    where: { bomId: bom.id },
    select: { quantity: true, wastageRate: true, component: { select: { unitCostExVat: true } } },
  });
  const cost = bomCost(lines.map((line) => ({ quantity: line.quantity, wastageRate: line.wastageRate, unitCostExVat: line.component.unitCostExVat })));
  return { bom_id: bom.id, version: bom.version, bom_cost_ex_vat: cost.toFixed(2), line_count: lines.length };
}

async function recordBomUpdated(
  tx: Tx,
  scope: Scope,
  args: { before: Pick<Bom, 'id' | 'version'> | null; after: Pick<Bom, 'id' | 'version' | 'isActive'>; operation: string; notes?: string | null; now: Date; actor: string },
): Promise<number | null> {
  if (scope.kind !== 'LISTING') return null;
  const before = await bomSnapshot(tx, args.before);
  const after = await bomSnapshot(tx, args.after);
  const event = await recordListingEvent(tx, {
    listingId: scope.listingId,
    eventType: 'BOM_UPDATED',
    before: before ? { bom_id: before.bom_id, version: before.version, bom_cost_ex_vat: before.bom_cost_ex_vat } : null,
    after: { ...after!, operation: args.operation, is_active: args.after.isActive },
    reason: args.notes ?? null,
    createdBy: args.actor,
    now: args.now,
  });
  return event.id;
}

async function enqueueFeatures(tx: Tx, scope: Scope, now: Date, actor: string): Promise<number> {
  const { job } =
    scope.kind === 'LISTING'
      ? await enqueueFollowUpJob(tx, { jobType: 'COMPUTE_FEATURES_LISTING', listingId: scope.listingId, priority: 3, createdBy: actor, now })
      : await enqueueFollowUpJob(tx, { jobType: 'COMPUTE_FEATURES_ASIN', asinEntityId: scope.asinEntityId, priority: 3, createdBy: actor, now });
  return job.id;
}

/** Inserts version MAX+1 with its lines; when `activate`, closes the current active version first. */
async function insertVersion(
  tx: Tx,
  scope: Scope,
  args: { lines: readonly ParsedLine[]; notes: string | null; activate: boolean; now: Date; checkpoint: (label: string) => Promise<void> },
): Promise<{ bom: Bom; previous: Bom | null }> {
  const where = scopeWhere(scope);
  const max = await tx.bom.aggregate({ where: scope.kind === 'LISTING' ? { listingId: scope.listingId } : { asinEntityId: scope.asinEntityId }, _max: { version: true } });
  const version = nextVersion(max._max.version);
  const previous = await tx.bom.findFirst({ where: { ...where, isActive: true } });
  if (args.activate && previous) {
    await tx.bom.update({ where: { id: previous.id }, data: { isActive: false, effectiveTo: args.now, updatedAt: args.now } });
    await args.checkpoint('after-first-write');
  }
  const bom = await tx.bom.create({
    data: {
      listingId: scope.kind === 'LISTING' ? scope.listingId : null,
      asinEntityId: scope.kind === 'ASIN_SCENARIO' ? scope.asinEntityId : null,
      scopeType: scope.kind,
      version,
      isActive: args.activate,
      effectiveFrom: args.activate ? args.now : null,
      effectiveTo: null,
      notes: args.notes,
      createdAt: args.now,
      updatedAt: args.now,
    },
  });
  if (!(args.activate && previous)) await args.checkpoint('after-first-write');
  if (args.lines.length > 0) {
    await tx.bomLine.createMany({
      data: args.lines.map((line) => ({
        bomId: bom.id,
        componentId: line.componentId,
        quantity: line.quantity,
        wastageRate: line.wastageRate,
        notes: line.notes,
        createdAt: args.now,
      })),
    });
  }
  return { bom, previous: args.activate ? previous : null };
}

// ── Mutations ──────────────────────────────────────────────────────────────────────────────────

export async function createBomVersion(ctx: Context, args: CreateBomVersionArgs): Promise<BomMutationPayload> {
  const scope = parseScope(args);
  const lines = parseLines(args.lines);
  const activate = args.activate ?? true;
  const run = await runMutation(ctx, { name: 'createBomVersion', idempotencyKey: args.idempotencyKey, input: args }, async (tx, m) => {
    await lockScope(tx, scope);
    if (activate && lines.length === 0) throw new EmptyBomError();
    await assertComponentsExist(tx, lines);
    const { bom, previous } = await insertVersion(tx, scope, { lines, notes: args.notes ?? null, activate, now: m.now, checkpoint: m.checkpoint });
    const listingEventId = await recordBomUpdated(tx, scope, {
      before: previous ?? (await tx.bom.findFirst({ where: { ...scopeWhere(scope), isActive: true, id: { not: bom.id } } })),
      after: bom,
      operation: 'CREATE',
      notes: args.notes,
      now: m.now,
      actor: m.actor,
    });
    const featureJobId = activate ? await enqueueFeatures(tx, scope, m.now, m.actor) : null;
    return { bomId: bom.id, previousActiveBomId: previous?.id ?? null, listingEventId, featureJobId, changed: true } satisfies BomMutationRef;
  });
  return afterCommit(run, (ref, replayed) => loadBomPayload(ctx, ref, replayed));
}

export async function replaceBomLines(ctx: Context, args: ReplaceBomLinesArgs): Promise<BomMutationPayload> {
  const bomId = decodeId(args.bomId, 'Bom', 'bomId');
  const lines = parseLines(args.lines);
  const run = await runMutation(ctx, { name: 'replaceBomLines', idempotencyKey: args.idempotencyKey, input: args }, async (tx, m) => {
    const { bom: current, scope } = await lockBomWithParent(tx, bomId, args.bomId);
    if (!current.isActive) {
      throw new ValidationError('bomId', `only the active version can have its lines replaced (version ${current.version} is not active)`);
    }
    if (lines.length === 0) throw new EmptyBomError();
    await assertComponentsExist(tx, lines);
    const { bom, previous } = await insertVersion(tx, scope, {
      lines,
      notes: args.notes ?? current.notes,
      activate: true,
      now: m.now,
      checkpoint: m.checkpoint,
    });
    const listingEventId = await recordBomUpdated(tx, scope, { before: previous, after: bom, operation: 'REPLACE_LINES', notes: args.notes, now: m.now, actor: m.actor });
    const featureJobId = await enqueueFeatures(tx, scope, m.now, m.actor);
    return { bomId: bom.id, previousActiveBomId: previous?.id ?? null, listingEventId, featureJobId, changed: true } satisfies BomMutationRef;
  });
  return afterCommit(run, (ref, replayed) => loadBomPayload(ctx, ref, replayed));
}

export async function activateBomVersion(ctx: Context, args: ActivateBomVersionArgs): Promise<BomMutationPayload> {
  const bomId = decodeId(args.bomId, 'Bom', 'bomId');
  const run = await runMutation(ctx, { name: 'activateBomVersion', idempotencyKey: args.idempotencyKey, input: args }, async (tx, m) => {
    const { bom: target, scope } = await lockBomWithParent(tx, bomId, args.bomId);
    if (target.isActive) {
      // §2: activating the active version is a no-op (no event, no job).
      return { bomId: target.id, previousActiveBomId: null, listingEventId: null, featureJobId: null, changed: false } satisfies BomMutationRef;
    }
    if ((await tx.bomLine.count({ where: { bomId: target.id } })) === 0) throw new EmptyBomError(target.id);
    const previous = await tx.bom.findFirst({ where: { ...scopeWhere(scope), isActive: true } });
    if (previous) {
      await tx.bom.update({ where: { id: previous.id }, data: { isActive: false, effectiveTo: m.now, updatedAt: m.now } });
      await m.checkpoint('after-first-write');
    }
    const bom = await tx.bom.update({ where: { id: target.id }, data: { isActive: true, effectiveFrom: m.now, effectiveTo: null, updatedAt: m.now } });
    if (!previous) await m.checkpoint('after-first-write');
    const listingEventId = await recordBomUpdated(tx, scope, { before: previous, after: bom, operation: 'ACTIVATE', now: m.now, actor: m.actor });
    const featureJobId = await enqueueFeatures(tx, scope, m.now, m.actor);
    return { bomId: bom.id, previousActiveBomId: previous?.id ?? null, listingEventId, featureJobId, changed: true } satisfies BomMutationRef;
  });
  return afterCommit(run, (ref, replayed) => loadBomPayload(ctx, ref, replayed));
}

/** After commit (or on replay): the objects the reference names, as they are now. */
async function loadBomPayload(ctx: Context, ref: BomMutationRef, replayed: boolean): Promise<BomMutationPayload> {
  const bom = await ctx.prisma.bom.findUnique({ where: { id: ref.bomId } });
  if (!bom) throw new NotFoundError('Bom', String(ref.bomId), 'the BOM of this result no longer exists');
  const previousActiveBom = ref.previousActiveBomId ? await ctx.prisma.bom.findUnique({ where: { id: ref.previousActiveBomId } }) : null;
  const listingEvent = ref.listingEventId ? await ctx.prisma.listingEvent.findUnique({ where: { id: ref.listingEventId } }) : null;
  const featureJob = ref.featureJobId ? await ctx.prisma.job.findUnique({ where: { id: ref.featureJobId } }) : null;
  return { bom, previousActiveBom, listingEvent, featureJob, changed: ref.changed, replayed };
}
