/**
 * Shared infrastructure of the transactional mutations.
 *
 * ── runMutation ────────────────────────────────────────────────────────────────────────────────
 *   const { result, replayed } = await runMutation(ctx, { name: 'activateBomVersion', idempotencyKey, input },
 *     async (tx, m) => {
 *       await lockRows(tx, 'listings', [listingId]);          // parent FOR UPDATE first, then children
 *       …writes on `tx` only…
 *       await m.checkpoint('after-first-write');                // test failure hook (no-op in production)
 *       return { bomId: 12, listingEventId: 40 };               // a small JSON *reference* to the result
 *     });
 *   return loadPayload(ctx, result);                            // read objects after commit (ctx.prisma)
 *
 *   - One interactive `ctx.prisma.$transaction` (READ COMMITTED). The callback must use `tx` only:
 *     PGlite has one connection, so a query on ctx.prisma inside the callback waits forever.
 *   - Retries the whole callback (fresh transaction) up to `maxAttempts` (default 8) times with a
 *     small jittered back-off on serialization failure (40001), deadlock (40P01), a unique violation
 *     not mapped to a typed error (a concurrent insert won), an idempotency-key race, and Prisma's
 *     "could not start a transaction in time" (P2028). Still failing → ConflictError (safe to retry).
 *     The callback may therefore run more than once: keep side effects inside `tx`.
 *   - A lost database connection (src/db/faults.ts) is retried the same way when it struck before
 *     COMMIT (the transaction rolled back) or, with an idempotency key, during COMMIT (the key
 *     replays it if it went through); during COMMIT without a key → ConflictError(retryable false).
 *     Load the payload with afterCommit (src/resolvers/after-commit.ts): it re-reads on a fresh
 *     connection and never reports a committed change as failed.
 *   - Typed errors (src/domain/errors.ts: NotFoundError, ValidationError, InvalidTransitionError,
 *     GuardrailViolationError, ConflictError, DuplicateJobError, IdempotencyKeyReuseError) thrown by
 *     the callback roll the transaction back and reach the client as union members.
 *   - Constraint violations are never passed through raw: `jobs_publish_dedup_unique` →
 *     DuplicateJobError, `bom_lines_unique` → ValidationError('lines'), other unique → retry then
 *     ConflictError, FK / NOT NULL / CHECK → ValidationError. `options.constraintErrors` overrides
 *     per constraint name (e.g. to name the job type and listing in DuplicateJobError).
 *   - Idempotency (src/resolvers/idempotency.ts): with `idempotencyKey`, the key row is inserted
 *     first in the same transaction; a committed key with the same operation + input hash replays
 *     its stored `result` (`replayed: true`, nothing written), a different input →
 *     IdempotencyKeyReuseError. The key disappears with a rolled-back transaction, so a call that
 *     returned a typed error can be retried with the same key.
 *   - `result` must be JSON (it is stored as the replay). Load the payload objects from it after
 *     runMutation returns, so a replay and a first call produce the same payload.
 *
 * ── Test failure injection ─────────────────────────────────────────────────────────────────────
 *   setTransactionFailureHook((point) => { if (point.mutation === 'x' && point.label === 'after-first-write') throw new Error('boom') })
 *   The hook runs at every `m.checkpoint(label)` and at label 'before-commit' (after all writes,
 *   including the idempotency key). Tests only; reset with setTransactionFailureHook(null).
 *
 * ── Helpers for mutation resolvers (all take the transaction client) ─────────────────────────
 *   decodeId(globalId, 'Bom', 'bomId') → number      ValidationError on a malformed/wrong-type ID
 *   lockRows(tx, 'listings', [id]) → ids found       SELECT … ORDER BY id FOR UPDATE
 *   recordListingEvent(tx, {...}) → ListingEvent
 *   enqueueFollowUpJob(tx, {...}) → {job, created}   skipped while an identical PENDING job exists
 *   createPublishJob(tx, {...}) → {job, event}       §6.2 publish job + *_CHANGE_DRAFTED event, dedup
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { actorOf } from '../auth/viewer.js';
import type { Context } from '../context.js';
import {
  ConflictError,
  DuplicateJobError,
  MutationError,
  NotFoundError,
  ValidationError,
} from '../domain/errors.js';
import type { Job, ListingEvent, Prisma } from '../generated/prisma/client.js';
import type { JobType, ListingEventType } from '../generated/prisma/enums.js';
import { collectFacts, isConnectionLost, isPoolExhausted, type ErrorFacts } from '../db/faults.js';
import { type LiveEvent, type LiveUpdates, listingTopic, publishAll } from '../jobs/live-updates.js';
import { parseGlobalId } from './global-id.js';
import {
  IdempotencyRaceError,
  claimIdempotencyKey,
  requestHash,
  storeIdempotentResult,
  validateIdempotencyKey,
  type Tx,
} from './idempotency.js';

export type { Tx };
export * from '../domain/errors.js';

export type JsonResult = Prisma.InputJsonValue | null;

export interface RunMutationOptions {
  /** The mutation's name (also the idempotency operation). */
  name: string;
  idempotencyKey?: string | null;
  /** The whole input (the idempotency hash ignores its `idempotencyKey`). */
  input: unknown;
  maxAttempts?: number;
  /** Typed error for a violated constraint, by constraint name; `undefined` = default mapping. */
  constraintErrors?: Record<string, (violation: ConstraintViolation) => Error | undefined>;
}

export interface MutationTools {
  /** The request clock (ctx.now). */
  now: Date;
  /** 1 on the first try, 2… on retries. */
  attempt: number;
  /** Who caused the change (`key:<name>`), for every audit row and job the mutation writes. */
  actor: string;
  /** Failure-injection point for tests (runs the hook); call it after the mutation's first write. */
  checkpoint(label: string): Promise<void>;
}

export interface MutationRun<R> {
  result: R;
  operation: string;
  idempotencyKey: string | null;
  /** True when an idempotency key replayed a committed result (nothing was written). */
  replayed: boolean;
  attempts: number;
}

export interface FailurePoint {
  mutation: string;
  label: string;
  attempt: number;
}

type FailureHook = (point: FailurePoint) => void | Promise<void>;

let failureHook: FailureHook | null = null;

/** Tests only: run `hook` at every checkpoint of every transaction (null to remove it). */
export function setTransactionFailureHook(hook: FailureHook | null): void {
  failureHook = hook;
}

/**
 * Live updates of the mutation transaction running in this async context: audit rows are queued
 * here while it runs and published only once it has committed (and never for a replay).
 */
const pendingLiveUpdates = new AsyncLocalStorage<LiveEvent[]>();

/** Queues a live update for after the current runMutation commits; outside runMutation a no-op. */
export function queueLiveUpdate(event: LiveEvent): void {
  pendingLiveUpdates.getStore()?.push(event);
}

/** Runs a transaction outside runMutation (the scheduler's sweep) and publishes what it queued once it committed. */
export async function publishingAfterCommit<T>(live: LiveUpdates | null | undefined, transaction: () => Promise<T>): Promise<T> {
  const events: LiveEvent[] = [];
  const result = await pendingLiveUpdates.run(events, transaction);
  publishAll(live, events);
  return result;
}

const DEFAULT_MAX_ATTEMPTS = 8;
const TRANSACTION_OPTIONS = { maxWait: 15_000, timeout: 30_000 } as const;

export async function runMutation<R extends JsonResult>(
  ctx: Pick<Context, 'prisma' | 'now'> & { viewer?: Context['viewer']; live?: LiveUpdates | null },
  options: RunMutationOptions,
  work: (tx: Tx, tools: MutationTools) => Promise<R>,
): Promise<MutationRun<R>> {
  const key = validateIdempotencyKey(options.idempotencyKey);
  const hash = key ? requestHash(options.name, options.input) : '';
  const maxAttempts = Math.max(1, options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS);

  for (let attempt = 1; ; attempt++) {
    const live: LiveEvent[] = [];
    // Set once the callback returned: a failure after that happened while committing.
    let committing = false;
    const done = (run: Omit<MutationRun<R>, 'operation' | 'idempotencyKey'>): MutationRun<R> => {
      committing = true;
      return { ...run, operation: options.name, idempotencyKey: key };
    };
    try {
      const run = await pendingLiveUpdates.run(live, () => ctx.prisma.$transaction(async (tx) => {
        const tools: MutationTools = {
          now: ctx.now,
          attempt,
          actor: actorOf(ctx.viewer),
          checkpoint: async (label) => {
            if (failureHook) await failureHook({ mutation: options.name, label, attempt });
          },
        };
        if (key) {
          const claim = await claimIdempotencyKey(tx, { key, operation: options.name, hash, now: ctx.now });
          if (claim.kind === 'replay') return done({ result: claim.response as R, replayed: true, attempts: attempt });
        }
        const result = await work(tx, tools);
        if (key) await storeIdempotentResult(tx, key, result);
        await tools.checkpoint('before-commit');
        return done({ result, replayed: false, attempts: attempt });
      }, TRANSACTION_OPTIONS));
      if (!run.replayed) publishAll(ctx.live, live);
      return run;
    } catch (error) {
      if (error instanceof MutationError) throw error;
      if (isPoolExhausted(error)) throw new ConflictError('the service is overloaded: no database connection became free in time; nothing was changed, retry the call later');
      const outcome = isConnectionLost(error) ? connectionLostOutcome(committing, key !== null) : classifyDatabaseError(error, options.constraintErrors);
      if (outcome.kind === 'typed') throw outcome.error;
      if (outcome.kind === 'retry') {
        if (attempt < maxAttempts) {
          await sleep(backoffMs(attempt));
          continue;
        }
        throw new ConflictError();
      }
      throw error;
    }
  }
}

/**
 * A lost connection before COMMIT was sent rolled the transaction back: run it again on a fresh
 * connection. Lost while committing, the outcome is unknown: with an idempotency key a new attempt
 * is safe (it replays the result if the commit went through); without one, say so.
 */
function connectionLostOutcome(committing: boolean, hasKey: boolean): Outcome {
  if (!committing || hasKey) return { kind: 'retry' };
  return {
    kind: 'typed',
    error: new ConflictError(
      'the database connection was lost while committing: the change may or may not have been applied; check before retrying (an idempotencyKey makes retrying safe)',
      false,
    ),
  };
}

// ── Database error classification ───────────────────────────────────────────────────────────────

export interface ConstraintViolation {
  /** UNIQUE, FOREIGN_KEY, NOT_NULL, CHECK */
  kind: 'UNIQUE' | 'FOREIGN_KEY' | 'NOT_NULL' | 'CHECK';
  /** Constraint / index name when the driver reported it. */
  constraint: string | null;
  fields: string[];
  message: string;
}

type Outcome = { kind: 'retry' } | { kind: 'typed'; error: Error } | { kind: 'unknown' };

const RETRYABLE_SQLSTATES = new Set(['40001', '40P01']);

/** Turns a database error into retry / a typed error / unknown (left to be masked). Exported for tests. */
export function classifyDatabaseError(
  error: unknown,
  overrides: RunMutationOptions['constraintErrors'] = {},
): Outcome {
  if (error instanceof IdempotencyRaceError) return { kind: 'retry' };
  const facts = collectFacts(error);
  if (facts.prismaCodes.has('P2034') || facts.kinds.has('TransactionWriteConflict')) return { kind: 'retry' };
  if ([...facts.sqlStates].some((code) => RETRYABLE_SQLSTATES.has(code))) return { kind: 'retry' };
  if (facts.prismaCodes.has('P2028')) return { kind: 'retry' };
  // A text input PostgreSQL cannot store (a NUL byte): the client's input, not a server fault.
  if (facts.sqlStates.has('22021')) return { kind: 'typed', error: new ValidationError('input', 'contains a character that cannot be stored (NUL)') };

  const violation = constraintViolationOf(facts);
  if (!violation) return { kind: 'unknown' };
  const custom = violation.constraint ? overrides[violation.constraint]?.(violation) : undefined;
  if (custom) return { kind: 'typed', error: custom };
  const mapped = defaultConstraintError(violation);
  return mapped ? { kind: 'typed', error: mapped } : { kind: 'retry' };
}

function defaultConstraintError(v: ConstraintViolation): Error | undefined {
  switch (v.kind) {
    case 'UNIQUE':
      if (v.constraint === 'jobs_publish_dedup_unique') return new DuplicateJobError('PUBLISH', null);
      if (v.constraint === 'bom_lines_unique') return new ValidationError('lines', 'a component appears more than once');
      // A concurrent insert won (version number, active flag, idempotency key): retry, then CONFLICT.
      return undefined;
    case 'FOREIGN_KEY':
      return new ValidationError(v.fields[0] ?? v.constraint ?? 'input', 'refers to a row that does not exist');
    case 'NOT_NULL':
      return new ValidationError(v.fields[0] ?? 'input', 'is required');
    case 'CHECK':
      return new ValidationError(v.constraint ?? 'input', 'violates a database rule');
  }
}

function constraintViolationOf(facts: ErrorFacts): ConstraintViolation | null {
  let kind: ConstraintViolation['kind'] | null = null;
  if (facts.kinds.has('UniqueConstraintViolation') || facts.sqlStates.has('23505') || facts.prismaCodes.has('P2002')) kind = 'UNIQUE';
  else if (facts.kinds.has('ForeignKeyConstraintViolation') || facts.sqlStates.has('23503') || facts.prismaCodes.has('P2003')) kind = 'FOREIGN_KEY';
  else if (facts.kinds.has('NullConstraintViolation') || facts.sqlStates.has('23502') || facts.prismaCodes.has('P2011')) kind = 'NOT_NULL';
  else if (facts.sqlStates.has('23514')) kind = 'CHECK';
  if (!kind) return null;
  let constraint = facts.constraints[0] ?? null;
  if (!constraint) {
    // Raw-query errors carry only the server message: `… violates unique constraint "name"`.
    for (const message of facts.messages) {
      const match = /constraint "([^"]+)"/.exec(message);
      if (match) {
        constraint = match[1]!;
        break;
      }
    }
  }
  return { kind, constraint, fields: facts.fields, message: facts.messages[0] ?? '' };
}

export function backoffMs(attempt: number): number {
  const base = Math.min(200, 5 * 2 ** (attempt - 1));
  return base / 2 + Math.random() * base;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// ── Helpers for mutation resolvers ──────────────────────────────────────────────────────────────

/** A relay global ID of `typename` → its integer database id; ValidationError on `field` otherwise. */
export function decodeId(globalId: string | number, typename: string, field: string): number {
  const parsed = parseGlobalId(String(globalId), [typename]);
  if (parsed.ok) return parsed.id;
  if (parsed.reason === 'wrong-type') throw new ValidationError(field, `must be the ID of a ${typename} (got a ${parsed.typename} ID)`);
  throw new ValidationError(field, `is not a valid global ID`);
}

export type LockableTable = 'listings' | 'asin_entities' | 'boms' | 'recommendations' | 'jobs' | 'listing_cost_overrides' | 'listing_offer_current';

const KEY_COLUMN: Record<LockableTable, string> = {
  listings: 'id',
  asin_entities: 'id',
  boms: 'id',
  recommendations: 'id',
  jobs: 'id',
  listing_cost_overrides: 'listing_id',
  listing_offer_current: 'listing_id',
};

/**
 * SELECT … FOR UPDATE on rows of one table, in id order (a fixed order avoids deadlocks). Returns
 * the ids that exist. Lock order across tables: listing / asin_entity first, then its BOMs, jobs…
 */
export async function lockRows(tx: Tx, table: LockableTable, ids: readonly number[]): Promise<number[]> {
  if (ids.length === 0) return [];
  const column = KEY_COLUMN[table];
  const rows = await tx.$queryRawUnsafe<Array<{ id: number }>>(
    `SELECT ${column} AS id FROM ${table} WHERE ${column} = ANY($1::int[]) ORDER BY ${column} FOR UPDATE`,
    [...ids],
  );
  return rows.map((row) => Number(row.id));
}

/** Locks one row or throws NotFoundError(entityType, globalId). */
export async function lockRowOrNotFound(tx: Tx, table: LockableTable, id: number, entityType: string, shownId: string): Promise<void> {
  const found = await lockRows(tx, table, [id]);
  if (found.length === 0) throw new NotFoundError(entityType, shownId);
}

export interface ListingEventInput {
  listingId: number;
  eventType: ListingEventType;
  jobId?: number | null;
  before: Prisma.InputJsonValue | null;
  after: Prisma.InputJsonValue | null;
  reason?: string | null;
  correlationId?: string | null;
  /** 'worker', 'system', or the calling key (`key:<name>`, MutationTools.actor). */
  createdBy?: string;
  now: Date;
}

/** Appends a listing_events row (DOMAIN §7) on the transaction. */
export async function recordListingEvent(tx: Tx, event: ListingEventInput): Promise<ListingEvent> {
  const row = await tx.listingEvent.create({
    data: {
      listingId: event.listingId,
      eventType: event.eventType,
      jobId: event.jobId ?? null,
      beforeJson: event.before ?? undefined,
      afterJson: event.after ?? undefined,
      reason: event.reason ?? null,
      correlationId: event.correlationId ?? null,
      createdBy: event.createdBy ?? 'user',
      createdAt: event.now,
    },
  });
  queueLiveUpdate({ topic: listingTopic(event.listingId), payload: { id: row.id } });
  return row;
}

/**
 * Follow-up jobs (DOMAIN §6.3): enqueue unless an identical PENDING one exists (same type and
 * listing / asin entity). Call it while holding the parent row lock so two callers cannot both insert.
 */
export async function enqueueFollowUpJob(
  tx: Tx,
  job: {
    jobType: JobType;
    listingId?: number | null;
    asinEntityId?: number | null;
    priority?: number;
    input?: Prisma.InputJsonValue;
    createdBy?: string;
    now: Date;
  },
): Promise<{ job: Job; created: boolean }> {
  const scopeType = job.listingId ? 'LISTING' : job.asinEntityId ? 'ASIN' : 'GLOBAL';
  const existing = await tx.job.findFirst({
    where: {
      jobType: job.jobType,
      status: 'PENDING',
      listingId: job.listingId ?? null,
      asinEntityId: job.listingId ? undefined : (job.asinEntityId ?? null),
    },
    orderBy: { id: 'asc' },
  });
  if (existing) return { job: existing, created: false };
  const created = await tx.job.create({
    data: {
      jobType: job.jobType,
      scopeType,
      listingId: job.listingId ?? null,
      asinEntityId: job.asinEntityId ?? null,
      status: 'PENDING',
      priority: job.priority ?? 3,
      inputJson: job.input ?? (job.listingId ? { listing_id: job.listingId } : { asin_entity_id: job.asinEntityId ?? null }),
      scheduledFor: job.now,
      createdBy: job.createdBy ?? 'system',
      createdAt: job.now,
      updatedAt: job.now,
    },
  });
  return { job: created, created: true };
}

export interface PublishJobRequest {
  kind: 'PRICE' | 'STOCK';
  listingId: number;
  /** New price (decimal string, 2 dp) or new quantity. */
  newValue: string | number;
  /** Previous price / quantity, read now by the caller. */
  previousValue: string | number | null;
  reason?: string | null;
  correlationId?: string | null;
  recommendationId?: number | null;
  createdBy?: string;
  now: Date;
  /** The mutation's failure-injection point (MutationTools.checkpoint), run right after the job insert. */
  checkpoint?: (label: string) => Promise<void>;
}

/**
 * The manual-publish service (DOMAIN §6.2, §7): a PUBLISH_PRICE_CHANGE / PUBLISH_STOCK_CHANGE job
 * (priority 7, input with previous value, reason, correlation_id, listing_event_id and
 * recommendation_id) plus its *_CHANGE_DRAFTED listing event, both on `tx`. Guardrails are the
 * caller's job. A PENDING/RUNNING publish job of the type for the listing → DuplicateJobError
 * (checked here; a race is caught by jobs_publish_dedup_unique, which runMutation maps too — pass
 * `constraintErrors: publishDedupErrors(kind, listingId)` to name the type and listing there).
 */
export async function createPublishJob(tx: Tx, request: PublishJobRequest): Promise<{ job: Job; event: ListingEvent }> {
  const jobType: JobType = request.kind === 'PRICE' ? 'PUBLISH_PRICE_CHANGE' : 'PUBLISH_STOCK_CHANGE';
  const existing = await tx.job.findFirst({
    where: { listingId: request.listingId, jobType, status: { in: ['PENDING', 'RUNNING'] } },
    select: { id: true },
  });
  if (existing) throw new DuplicateJobError(jobType, request.listingId, existing.id);

  const correlationId = request.correlationId ?? randomUUID();
  const field = request.kind === 'PRICE' ? 'price_inc_vat' : 'available_quantity';
  const previousField = request.kind === 'PRICE' ? 'previous_price_inc_vat' : 'previous_quantity';
  const baseInput: Record<string, Prisma.InputJsonValue | null> = {
    [field]: request.newValue,
    [previousField]: request.previousValue,
    reason: request.reason ?? null,
    correlation_id: correlationId,
  };
  if (request.recommendationId) baseInput.recommendation_id = request.recommendationId;

  const job = await tx.job.create({
    data: {
      jobType,
      scopeType: 'LISTING',
      listingId: request.listingId,
      status: 'PENDING',
      priority: 7,
      inputJson: baseInput as Prisma.InputJsonObject,
      scheduledFor: request.now,
      createdBy: request.createdBy ?? 'user',
      createdAt: request.now,
      updatedAt: request.now,
    },
  });
  await request.checkpoint?.('after-first-write');
  const event = await recordListingEvent(tx, {
    listingId: request.listingId,
    eventType: request.kind === 'PRICE' ? 'PRICE_CHANGE_DRAFTED' : 'STOCK_CHANGE_DRAFTED',
    jobId: job.id,
    before: { [field]: request.previousValue },
    after: { [field]: request.newValue },
    reason: request.reason ?? null,
    correlationId,
    createdBy: request.createdBy ?? 'user',
    now: request.now,
  });
  const updated = await tx.job.update({
    where: { id: job.id },
    data: { inputJson: { ...baseInput, listing_event_id: event.id } as Prisma.InputJsonObject },
  });
  return { job: updated, event };
}

/** constraintErrors for runMutation: names the job type and listing in DuplicateJobError. */
export function publishDedupErrors(kind: 'PRICE' | 'STOCK', listingId: number): RunMutationOptions['constraintErrors'] {
  const jobType = kind === 'PRICE' ? 'PUBLISH_PRICE_CHANGE' : 'PUBLISH_STOCK_CHANGE';
  return { jobs_publish_dedup_unique: () => new DuplicateJobError(jobType, listingId) };
}
