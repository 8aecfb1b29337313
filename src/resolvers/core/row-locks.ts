/**
 * Row locks of the mutation transactions. Lock order across tables: listing / asin_entity first,
 * then its BOMs, jobs, recommendations… (every writer takes them in that order, and in id order
 * within one table, so two writers never wait on each other in a cycle).
 */
import { NotFoundError } from '../../domain/errors.js';
import { Prisma } from '../../generated/prisma/client.js';
import type { Tx } from './idempotency.js';

export type LockableTable = 'listings' | 'asin_entities' | 'boms' | 'recommendations' | 'jobs' | 'listing_cost_overrides' | 'listing_offer_current';

/**
 * The key column of each lockable table. Table and column names are SQL identifiers, not values:
 * they come from this fixed allow-list only (Prisma.raw), never from input.
 */
const KEY_COLUMN: Record<LockableTable, string> = {
  listings: 'id',
  asin_entities: 'id',
  boms: 'id',
  recommendations: 'id',
  jobs: 'id',
  listing_cost_overrides: 'listing_id',
  listing_offer_current: 'listing_id',
};

/** SELECT … FOR UPDATE on rows of one table, in id order. Returns the ids that exist. */
export async function lockRows(tx: Tx, table: LockableTable, ids: readonly number[]): Promise<number[]> {
  if (ids.length === 0) return [];
  const column = Prisma.raw(KEY_COLUMN[table]);
  const rows = await tx.$queryRaw<Array<{ id: number }>>`
    SELECT ${column} AS id FROM ${Prisma.raw(table)} WHERE ${column} = ANY(${[...ids]}::int[]) ORDER BY ${column} FOR UPDATE`;
  return rows.map((row) => Number(row.id));
}

/**
 * Like lockRows, but rows another transaction holds are skipped instead of waited for (SKIP LOCKED):
 * for sweeps that take what is free now and leave the rest to their next run.
 */
export async function lockFreeRows(tx: Tx, table: LockableTable, ids: readonly number[]): Promise<number[]> {
  if (ids.length === 0) return [];
  const column = Prisma.raw(KEY_COLUMN[table]);
  const rows = await tx.$queryRaw<Array<{ id: number }>>`
    SELECT ${column} AS id FROM ${Prisma.raw(table)} WHERE ${column} = ANY(${[...ids]}::int[]) ORDER BY ${column} FOR UPDATE SKIP LOCKED`;
  return rows.map((row) => Number(row.id));
}

/** Locks one row or throws NotFoundError(entityType, globalId). */
export async function lockRowOrNotFound(tx: Tx, table: LockableTable, id: number, entityType: string, shownId: string): Promise<void> {
  const found = await lockRows(tx, table, [id]);
  if (found.length === 0) throw new NotFoundError(entityType, shownId);
}
