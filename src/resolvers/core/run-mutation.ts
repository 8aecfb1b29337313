/**
 * The transaction runner every mutation goes through.
 *
 *   const run = await runMutation(ctx, { name: 'activateBomVersion', idempotencyKey, input },
 *     async (tx, m) => {
 *       await lockRows(tx, 'listings', [listingId]);          // parent FOR UPDATE first, then children
 *       …writes on `tx` only…
 *       await m.checkpoint('after-first-write');                // failure-injection point (tests)
 *       return { bomId: 12, listingEventId: 40 };               // a small JSON *reference* to the result
 *     });
 *   return run.resultWithReplayed;                              // or afterCommit(run, load) for objects
 *
 *   - One interactive `ctx.prisma.$transaction` (READ COMMITTED). The callback must use `tx` only:
 *     PGlite has one connection, so a query on ctx.prisma inside the callback waits forever.
 *   - Retries the whole callback (fresh transaction) up to `maxAttempts` (default 8) times with a
 *     small jittered back-off on what database-errors.ts classifies as retryable (serialization
 *     failure, deadlock, a unique violation not mapped to a typed error, an idempotency-key race,
 *     "could not start a transaction in time"). Still failing → ConflictError (safe to retry).
 *     The callback may therefore run more than once: keep side effects inside `tx`.
 *   - A lost database connection (src/db/faults.ts) is retried the same way when it struck before
 *     COMMIT (the transaction rolled back) or, with an idempotency key, during COMMIT (the key
 *     replays it if it went through); during COMMIT without a key → ConflictError(retryable false).
 *     Load the payload with afterCommit (after-commit.ts): it re-reads on a fresh connection and
 *     never reports a committed change as failed.
 *   - Typed errors (src/domain/errors.ts) thrown by the callback roll the transaction back and
 *     reach the client as union members; constraint violations are mapped by database-errors.ts.
 *   - Idempotency (idempotency.ts): with `idempotencyKey`, the key row is inserted first in the
 *     same transaction; a committed key with the same operation + input hash replays its stored
 *     `result` (`replayed: true`, nothing written), a different input → IdempotencyKeyReuseError.
 *     The key disappears with a rolled-back transaction, so a call that returned a typed error can
 *     be retried with the same key.
 *   - `result` must be JSON (it is stored as the replay). Load payload objects from it after
 *     runMutation returns, so a replay and a first call produce the same payload.
 *
 * Failure injection (tests): the context's `failureHook` (AppOptions.failureHook) runs at every
 * `m.checkpoint(label)` and at label 'before-commit' (after all writes, including the idempotency
 * key). The service never sets it.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { actorOf } from '../../auth/viewer.js';
import type { Context } from '../../context.js';
import { isConnectionLost, isPoolExhausted } from '../../db/faults.js';
import { ConflictError, MutationError } from '../../domain/errors.js';
import { type LiveEvent, type LiveUpdates, publishAll } from '../../jobs/live-updates.js';
import { backoffMs, sleep } from './backoff.js';
import { classifyDatabaseError, type ConstraintErrors, type Outcome } from './database-errors.js';
import { claimIdempotencyKey, requestHash, storeIdempotentResult, validateIdempotencyKey, type Tx } from './idempotency.js';

export type { Tx };

export interface RunMutationOptions {
  /** The mutation's name (also the idempotency operation). */
  name: string;
  idempotencyKey?: string | null;
  /** The whole input (the idempotency hash ignores its `idempotencyKey`). */
  input: unknown;
  maxAttempts?: number;
  /** Typed error for a violated constraint, by constraint name; `undefined` = default mapping. */
  constraintErrors?: ConstraintErrors;
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

/** A JSON object result: what runMutation stores for a replay (plain numbers, strings, arrays). */
export type MutationResult = object;

export interface MutationRun<R extends MutationResult> {
  result: R;
  /** `result` plus `replayed`: what a mutation without objects to load returns as its payload. */
  resultWithReplayed: R & { replayed: boolean };
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

/** Tests only (AppOptions.failureHook): throwing here fails the transaction at that point. */
export type FailureHook = (point: FailurePoint) => void | Promise<void>;

export type MutationContext = Pick<Context, 'prisma' | 'now'> & {
  viewer?: Context['viewer'];
  live?: LiveUpdates | null;
  failureHook?: FailureHook | null;
};

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

export async function runMutation<R extends MutationResult>(
  ctx: MutationContext,
  options: RunMutationOptions,
  work: (tx: Tx, tools: MutationTools) => Promise<R>,
): Promise<MutationRun<R>> {
  const key = validateIdempotencyKey(options.idempotencyKey);
  const hash = key ? requestHash(options.name, options.input) : '';
  const maxAttempts = Math.max(1, options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS);
  const failureHook = ctx.failureHook ?? null;

  for (let attempt = 1; ; attempt++) {
    const live: LiveEvent[] = [];
    // Set once the callback returned: a failure after that happened while committing.
    let committing = false;
    const done = (result: R, replayed: boolean): MutationRun<R> => {
      committing = true;
      return { result, resultWithReplayed: { ...result, replayed }, replayed, attempts: attempt, operation: options.name, idempotencyKey: key };
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
          // The stored replay is what `work` returned for this operation and input hash.
          if (claim.kind === 'replay') return done(claim.response as R, true);
        }
        const result = await work(tx, tools);
        if (key) await storeIdempotentResult(tx, key, result);
        await tools.checkpoint('before-commit');
        return done(result, false);
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
