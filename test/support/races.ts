import pg from 'pg';
import type { TestApp } from './graphql.js';

/**
 * Helpers that make a PostgreSQL race test prove what it says: that the calls really overlapped
 * (held on a lock together), and what each call finally answered.
 */

export interface Contention {
  /** Most sessions of the test database seen waiting on a lock while the first commit was held. */
  readonly maxWaiting: number;
  /** Removes the hook and closes the observer connection. */
  stop(): Promise<void>;
}

/**
 * Holds the first transaction of `mutations` that reaches 'before-commit' (all its writes done,
 * its locks held) until `waiters` other sessions of the test database wait on a lock, or until
 * `timeoutMs` passes. The race then cannot have run one call after another by chance: read
 * `maxWaiting` afterwards and require it.
 */
export async function holdFirstCommit(t: TestApp, options: { mutations: string[]; waiters: number; timeoutMs?: number }): Promise<Contention> {
  if (t.testDb.config.kind !== 'postgres') throw new Error('holdFirstCommit needs PostgreSQL (PGlite has one connection)');
  const observer = new pg.Client({ connectionString: t.testDb.config.url });
  await observer.connect();
  let held = false;
  let maxWaiting = 0;
  t.setFailureHook(async (point) => {
    if (held || point.label !== 'before-commit' || !options.mutations.includes(point.mutation)) return;
    held = true;
    const deadline = Date.now() + (options.timeoutMs ?? 10_000);
    while (Date.now() < deadline) {
      const { rows } = await observer.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
      );
      maxWaiting = Math.max(maxWaiting, rows[0]!.n);
      if (maxWaiting >= options.waiters) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  });
  return {
    get maxWaiting() {
      return maxWaiting;
    },
    async stop() {
      t.setFailureHook(null);
      await observer.end();
    },
  };
}

export interface Settled<T> {
  /** Each call's final answer, in call order. */
  results: T[];
  /** How many ConflictError answers were retried. */
  conflicts: number;
}

/**
 * Sends every call at once; a call answered with ConflictError ("safe to retry") is sent again
 * (it carries its own idempotency key) one at a time, at most `retries` times. GraphQL errors are
 * thrown, not settled.
 */
export async function raceAndRetryConflicts<T extends { __typename: string }>(calls: Array<() => Promise<T>>, retries = 3): Promise<Settled<T>> {
  const results = (await Promise.all(calls.map((call) => call()))) as T[];
  let conflicts = 0;
  for (let i = 0; i < results.length; i++) {
    for (let attempt = 0; results[i]!.__typename === 'ConflictError' && attempt < retries; attempt++) {
      conflicts++;
      results[i] = await calls[i]!();
    }
  }
  return { results, conflicts };
}

/** The payload of one GraphQL mutation field; a GraphQL-level error fails the test. */
export async function payloadOf<T = any>(response: Promise<{ data?: any; errors?: unknown[] }>, field: string): Promise<T> {
  const r = await response;
  if (r.errors !== undefined || !r.data?.[field]) throw new Error(`${field} answered with errors: ${JSON.stringify(r.errors)}`);
  return r.data[field] as T;
}

export function tally(results: Array<{ __typename: string }>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of results) counts[r.__typename] = (counts[r.__typename] ?? 0) + 1;
  return counts;
}
