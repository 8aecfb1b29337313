import { AsyncLocalStorage } from 'node:async_hooks';

/** A tally of the SQL statements sent on behalf of one unit of work (a GraphQL request). */
export interface StatementTally {
  statements: number;
}

const current = new AsyncLocalStorage<StatementTally>();

/**
 * Runs `fn` with `tally` counting every statement Prisma sends from within it. The tally travels
 * with the async context, so concurrent requests never mix their counts.
 */
export function countStatementsOf<T>(tally: StatementTally, fn: () => T): T {
  return current.run(tally, fn);
}

/** Called for every statement Prisma sends (its query event). */
export function countStatement(): void {
  const tally = current.getStore();
  if (tally) tally.statements += 1;
}
