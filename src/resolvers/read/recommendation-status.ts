/**
 * The recommendation "due / expired" rule in the two forms the database needs, next to each other
 * so they change together: SQL (a CASE expression for the batched loaders) and Prisma `where`
 * (filters and the sweep). Both are twins of `effectiveStatus` in
 * src/domain/recommendation-lifecycle.ts; test/resolvers/recommendation-status.test.ts checks all
 * three against one table of cases.
 *
 * The rule (docs/domain-rules.md §5.4): a SNOOZED rec whose `snoozed_until` has passed (or is
 * missing) is PENDING again, and a PENDING rec past `expires_at` is EXPIRED, whether or not the
 * sweep has persisted it yet.
 */
import { Prisma } from '../../generated/prisma/client.js';
import type { RecommendationStatus } from '../../generated/prisma/enums.js';

/** A timestamp parameter compared with the `timestamp without time zone` (UTC) columns. */
function utc(date: Date): Prisma.Sql {
  return Prisma.sql`(${date.toISOString()}::timestamptz AT TIME ZONE 'UTC')`;
}

/** The effective status (as of `now`) of the `recommendations` row in scope, as SQL text. */
export function effectiveStatusSql(now: Date): Prisma.Sql {
  const t = utc(now);
  return Prisma.sql`(CASE
    WHEN status = 'PENDING' AND expires_at <= ${t} THEN 'EXPIRED'
    WHEN status = 'SNOOZED' AND (snoozed_until IS NULL OR snoozed_until <= ${t}) THEN
      CASE WHEN expires_at <= ${t} THEN 'EXPIRED' ELSE 'PENDING' END
    ELSE status::text END)`;
}

/** A SNOOZED rec whose wake-up time has come (one without a wake-up time counts as due). */
function snoozeOver(now: Date): Prisma.RecommendationWhereInput {
  return { status: 'SNOOZED', OR: [{ snoozedUntil: null }, { snoozedUntil: { lte: now } }] };
}

/** Prisma `where` matching recommendations whose effective status (as of `now`) is one of `statuses`. */
export function effectiveStatusWhere(statuses: readonly RecommendationStatus[], now: Date): Prisma.RecommendationWhereInput {
  const notExpired: Prisma.RecommendationWhereInput = { OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] };
  const woken = snoozeOver(now);
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
 * Prisma `where` of the rows whose stored status lags the rule (the sweep persists them): PENDING
 * past `expires_at`, or SNOOZED whose wake-up time has come — exactly the rows `dueSystemAction`
 * gives an action.
 */
export function dueTransitionWhere(now: Date): Prisma.RecommendationWhereInput {
  return { OR: [{ status: 'PENDING', expiresAt: { lte: now } }, snoozeOver(now)] };
}
