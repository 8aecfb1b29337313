// Request-scoped batch loaders for the tables whose `entity_id` is polymorphic (feature_store,
// recommendations): Prisma has no relation for them, so each loader answers a whole page of parents
// with one SQL statement (plus one Prisma statement per included relation), never one per row.
import DataLoader from 'dataloader';
import type { Context } from '../context.js';
import { Prisma } from '../generated/prisma/client.js';
import type {
  AmazonCatalogSnapshot,
  AsinEntity,
  KeepaSnapshot,
  FeatureSnapshot,
  Listing,
  Recommendation,
} from '../generated/prisma/client.js';
import type { FeatureEntityType, RecommendationStatus } from '../generated/prisma/enums.js';

/** One DataLoader per request and per `key` (the key carries every argument that shapes the batch). */
export function requestLoader<K, V>(
  ctx: Context,
  key: string,
  batch: (keys: readonly K[]) => Promise<Array<V | Error>>,
): DataLoader<K, V> {
  const cacheKey = `loader:${key}`;
  let loader = ctx.cache.get(cacheKey) as unknown as DataLoader<K, V> | undefined;
  if (!loader) {
    loader = new DataLoader<K, V>(batch);
    ctx.cache.set(cacheKey, loader as unknown as Promise<unknown>);
  }
  return loader;
}

/** A timestamp parameter compared with the `timestamp without time zone` (UTC) columns. */
function utc(date: Date): Prisma.Sql {
  return Prisma.sql`(${date.toISOString()}::timestamptz AT TIME ZONE 'UTC')`;
}

function groupBy<T>(rows: T[], key: (row: T) => number): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = groups.get(k);
    if (list) list.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}

// ---------------------------------------------------------------------------------------------
// Features

/** The current feature row of each entity: latest by computed_at DESC, id DESC (DOMAIN §4). */
export function latestFeaturesLoader(ctx: Context, entityType: FeatureEntityType) {
  return requestLoader<number, FeatureSnapshot | null>(ctx, `latestFeatures:${entityType}`, async (entityIds) => {
    const picked = await ctx.prisma.$queryRaw<Array<{ id: number }>>(Prisma.sql`
      SELECT DISTINCT ON (entity_id) id
      FROM feature_store
      WHERE entity_type = ${entityType}::feature_entity_type AND entity_id = ANY(${[...entityIds]}::int[])
      ORDER BY entity_id, computed_at DESC, id DESC`);
    const rows = picked.length
      ? await ctx.prisma.featureSnapshot.findMany({ where: { id: { in: picked.map((r) => Number(r.id)) } } })
      : [];
    const byEntity = new Map(rows.map((row) => [row.entityId, row]));
    return entityIds.map((id) => byEntity.get(id) ?? null);
  });
}

/** The newest `first` feature rows of each entity (optionally of one feature_version), newest first. */
export function featureHistoryLoader(
  ctx: Context,
  entityType: FeatureEntityType,
  options: { featureVersion?: number | null; first: number },
) {
  const { featureVersion, first } = options;
  return requestLoader<number, FeatureSnapshot[]>(
    ctx,
    `featureHistory:${entityType}:${featureVersion ?? '*'}:${first}`,
    async (entityIds) => {
      const versionFilter = featureVersion == null ? Prisma.empty : Prisma.sql`AND feature_version = ${featureVersion}`;
      const picked = await ctx.prisma.$queryRaw<Array<{ id: number }>>(Prisma.sql`
        SELECT id FROM (
          SELECT id, row_number() OVER (PARTITION BY entity_id ORDER BY computed_at DESC, id DESC) AS rn
          FROM feature_store
          WHERE entity_type = ${entityType}::feature_entity_type AND entity_id = ANY(${[...entityIds]}::int[]) ${versionFilter}
        ) ranked
        WHERE rn <= ${first}`);
      const rows = picked.length
        ? await ctx.prisma.featureSnapshot.findMany({
            where: { id: { in: picked.map((r) => Number(r.id)) } },
            orderBy: [{ computedAt: 'desc' }, { id: 'desc' }],
          })
        : [];
      const groups = groupBy(rows, (row) => row.entityId);
      return entityIds.map((id) => groups.get(id) ?? []);
    },
  );
}

// ---------------------------------------------------------------------------------------------
// Recommendations

export type RecommendationOrder = 'CONFIDENCE_SCORE_DESC' | 'GENERATED_AT_DESC';

/** Prisma orderBy of each ordering; `id` breaks ties so cursors are stable. */
export function recommendationOrderBy(order: RecommendationOrder): Prisma.RecommendationOrderByWithRelationInput[] {
  return order === 'GENERATED_AT_DESC'
    ? [{ generatedAt: 'desc' }, { id: 'desc' }]
    : [{ confidenceScore: { sort: 'desc', nulls: 'last' } }, { generatedAt: 'desc' }, { id: 'desc' }];
}

function recommendationOrderSql(order: RecommendationOrder): Prisma.Sql {
  return order === 'GENERATED_AT_DESC'
    ? Prisma.sql`generated_at DESC, id DESC`
    : Prisma.sql`confidence_score DESC NULLS LAST, generated_at DESC, id DESC`;
}

/** Rows sorted in JS the way `recommendationOrderBy` sorts them in SQL. */
function compareRecommendations(order: RecommendationOrder) {
  return (a: Recommendation, b: Recommendation): number => {
    if (order === 'CONFIDENCE_SCORE_DESC') {
      const sa = a.confidenceScore;
      const sb = b.confidenceScore;
      if (sa == null && sb != null) return 1;
      if (sa != null && sb == null) return -1;
      if (sa != null && sb != null) {
        const c = sb.comparedTo(sa);
        if (c !== 0) return c;
      }
    }
    const t = b.generatedAt.getTime() - a.generatedAt.getTime();
    return t !== 0 ? t : b.id - a.id;
  };
}

/**
 * The stored status as of `now` once the lazy transitions of DOMAIN §5.4 are applied: a SNOOZED
 * rec whose `snoozed_until` has passed is PENDING again, and a PENDING rec past `expires_at` is
 * EXPIRED. SQL twin of `effectiveStatus` in src/domain/recommendation-lifecycle.ts.
 */
export function effectiveStatusSql(now: Date): Prisma.Sql {
  const t = utc(now);
  return Prisma.sql`(CASE
    WHEN status = 'PENDING' AND expires_at <= ${t} THEN 'EXPIRED'
    WHEN status = 'SNOOZED' AND (snoozed_until IS NULL OR snoozed_until <= ${t}) THEN
      CASE WHEN expires_at <= ${t} THEN 'EXPIRED' ELSE 'PENDING' END
    ELSE status::text END)`;
}

/** Prisma `where` matching recommendations whose effective status (as of `now`) is one of `statuses`. */
export function effectiveStatusWhere(statuses: readonly RecommendationStatus[], now: Date): Prisma.RecommendationWhereInput {
  const notExpired: Prisma.RecommendationWhereInput = { OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] };
  // A SNOOZED rec without a wake-up time counts as due, as in the domain's effectiveStatus.
  const woken: Prisma.RecommendationWhereInput = { status: 'SNOOZED', OR: [{ snoozedUntil: null }, { snoozedUntil: { lte: now } }] };
  const clauses: Prisma.RecommendationWhereInput[] = [];
  for (const status of new Set(statuses)) {
    switch (status) {
      case 'PENDING':
        clauses.push({ status: 'PENDING', ...notExpired }, { AND: [woken, notExpired] });
        break;
      case 'EXPIRED':
        clauses.push({ status: 'EXPIRED' }, { status: 'PENDING', expiresAt: { lte: now } }, { AND: [woken, { expiresAt: { lte: now } }] });
        break;
      case 'SNOOZED':
        clauses.push({ status: 'SNOOZED', snoozedUntil: { gt: now } });
        break;
      default:
        clauses.push({ status });
    }
  }
  return { OR: clauses };
}

/**
 * The recommendations of each entity (at most `first`, in `order`, filtered by effective status),
 * loaded for a whole page of entities at once. `query` is the Pothos selection (include of
 * events, jobs …) for the rows, so nested relations load in the same batch; it is part of the
 * loader key because every entity in a batch must share it.
 */
export function recommendationsByEntityLoader(
  ctx: Context,
  entityType: FeatureEntityType,
  options: { statuses?: readonly RecommendationStatus[] | null; first: number; order: RecommendationOrder; query: object },
) {
  const { statuses, first, order, query } = options;
  const key = `recommendationsByEntity:${entityType}:${statuses?.join(',') ?? '*'}:${first}:${order}:${JSON.stringify(query)}`;
  return requestLoader<number, Recommendation[]>(ctx, key, async (entityIds) => {
    const statusFilter = statuses?.length
      ? Prisma.sql`AND ${effectiveStatusSql(ctx.now)} = ANY(${[...statuses]}::text[])`
      : Prisma.empty;
    const picked = await ctx.prisma.$queryRaw<Array<{ id: number }>>(Prisma.sql`
      SELECT id FROM (
        SELECT id, row_number() OVER (PARTITION BY entity_id ORDER BY ${recommendationOrderSql(order)}) AS rn
        FROM recommendations
        WHERE entity_type = ${entityType}::feature_entity_type AND entity_id = ANY(${[...entityIds]}::int[]) ${statusFilter}
      ) ranked
      WHERE rn <= ${first}`);
    const rows = picked.length
      ? await ctx.prisma.recommendation.findMany({
          ...(query as Record<string, unknown>),
          where: { id: { in: picked.map((r) => Number(r.id)) } },
        })
      : [];
    rows.sort(compareRecommendations(order));
    const groups = groupBy(rows, (row) => row.entityId);
    return entityIds.map((id) => groups.get(id) ?? []);
  });
}

// ---------------------------------------------------------------------------------------------
// Snapshots

/**
 * The latest Keepa snapshot of each ASIN entity (captured_at DESC, id DESC): DISTINCT ON picks one
 * row per entity in SQL, where a nested `take: 1` would read every snapshot of the page.
 */
export function latestKeepaSnapshotLoader(ctx: Context) {
  return requestLoader<number, KeepaSnapshot | null>(ctx, 'latestKeepaSnapshot', async (entityIds) => {
    const picked = await ctx.prisma.$queryRaw<Array<{ id: number }>>(Prisma.sql`
      SELECT DISTINCT ON (asin_entity_id) id FROM keepa_snapshots
      WHERE asin_entity_id = ANY(${[...entityIds]}::int[])
      ORDER BY asin_entity_id, captured_at DESC, id DESC`);
    const rows = picked.length ? await ctx.prisma.keepaSnapshot.findMany({ where: { id: { in: picked.map((r) => Number(r.id)) } } }) : [];
    const byEntity = new Map(rows.map((row) => [row.asinEntityId, row]));
    return entityIds.map((id) => byEntity.get(id) ?? null);
  });
}

/** The latest catalog snapshot of each ASIN entity (captured_at DESC, id DESC). */
export function latestCatalogSnapshotLoader(ctx: Context) {
  return requestLoader<number, AmazonCatalogSnapshot | null>(ctx, 'latestCatalogSnapshot', async (entityIds) => {
    const picked = await ctx.prisma.$queryRaw<Array<{ id: number }>>(Prisma.sql`
      SELECT DISTINCT ON (asin_entity_id) id FROM amazon_catalog_snapshots
      WHERE asin_entity_id = ANY(${[...entityIds]}::int[])
      ORDER BY asin_entity_id, captured_at DESC, id DESC`);
    const rows = picked.length
      ? await ctx.prisma.amazonCatalogSnapshot.findMany({ where: { id: { in: picked.map((r) => Number(r.id)) } } })
      : [];
    const byEntity = new Map(rows.map((row) => [row.asinEntityId, row]));
    return entityIds.map((id) => byEntity.get(id) ?? null);
  });
}

// ---------------------------------------------------------------------------------------------
// Polymorphic entities

export function listingByIdLoader(ctx: Context) {
  return requestLoader<number, Listing | null>(ctx, 'listingById', async (ids) => {
    const rows = await ctx.prisma.listing.findMany({ where: { id: { in: [...ids] } } });
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id) ?? null);
  });
}

export function asinEntityByIdLoader(ctx: Context) {
  return requestLoader<number, AsinEntity | null>(ctx, 'asinEntityById', async (ids) => {
    const rows = await ctx.prisma.asinEntity.findMany({ where: { id: { in: [...ids] } } });
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id) ?? null);
  });
}
