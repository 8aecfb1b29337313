/**
 * "The newest row(s) of each parent" for a whole page of parents in one statement: the shape every
 * snapshot, feature and recommendation loader needs. Prisma's nested `take` would read every row
 * of every parent, so the ids are picked in SQL (DISTINCT ON for one row, row_number() for more)
 * and the caller then loads the rows it wants by id with Prisma.
 */
import { Prisma, type PrismaClient } from '../../generated/prisma/client.js';

/**
 * Tables with a parent column, and that column. Table and column names are SQL identifiers, not
 * values: they come from this fixed allow-list only (Prisma.raw), never from input.
 */
const PARENT_COLUMN = {
  feature_store: 'entity_id',
  recommendations: 'entity_id',
  keepa_snapshots: 'asin_entity_id',
  amazon_catalog_snapshots: 'asin_entity_id',
} as const;

export type PerParentTable = keyof typeof PARENT_COLUMN;

export interface NewestPerParent {
  parentIds: readonly number[];
  /** How many rows per parent (1 = the latest). */
  perParent: number;
  /** The order that makes a row "newer", ending in a unique tie-breaker such as `id DESC`. */
  orderBy: Prisma.Sql;
  /** Further conditions every row must meet (joined with AND). */
  conditions?: Prisma.Sql[];
}

/** The ids of the newest `perParent` rows of each parent (in no particular order). */
export async function newestIdsPerParent(prisma: Pick<PrismaClient, '$queryRaw'>, table: PerParentTable, query: NewestPerParent): Promise<number[]> {
  if (query.parentIds.length === 0) return [];
  const parent = Prisma.raw(PARENT_COLUMN[table]);
  const where = Prisma.join([Prisma.sql`${parent} = ANY(${[...query.parentIds]}::int[])`, ...(query.conditions ?? [])], ' AND ');
  const rows =
    query.perParent === 1
      ? await prisma.$queryRaw<Array<{ id: number }>>`
          SELECT DISTINCT ON (${parent}) id FROM ${Prisma.raw(table)}
          WHERE ${where}
          ORDER BY ${parent}, ${query.orderBy}`
      : await prisma.$queryRaw<Array<{ id: number }>>`
          SELECT id FROM (
            SELECT id, row_number() OVER (PARTITION BY ${parent} ORDER BY ${query.orderBy}) AS rn
            FROM ${Prisma.raw(table)}
            WHERE ${where}
          ) ranked
          WHERE rn <= ${query.perParent}`;
  return rows.map((row) => Number(row.id));
}
