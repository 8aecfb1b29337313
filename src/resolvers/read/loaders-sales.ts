/** Sales totals per listing over a window of complete days, for a whole page of listings at once. */
import { Decimal, round2, ZERO } from '../../domain/money.js';
import { salesWindow } from '../../domain/sales.js';
import type { PrismaClient } from '../../generated/prisma/client.js';

/** Sales totals of one listing over the complete days D−N … D−1 (docs/domain-rules.md §4 windows). */
export interface SalesSummary {
  /** N. */
  days: number;
  /** First and last day of the window, 'YYYY-MM-DD', both inclusive. */
  from: string;
  to: string;
  units: number;
  /** VAT-inclusive, 2 dp. */
  revenueIncVat: Decimal;
  /** Σ sessions; null when no day of the window recorded sessions. */
  sessions: number | null;
  /** units / N, 2 dp (ties away from zero), as the feature store's sales velocity. */
  velocityUnitsPerDay: Decimal;
}

type SalesReader = { listingSalesDaily: Pick<PrismaClient['listingSalesDaily'], 'groupBy'> };

const DAY_MS = 86_400_000;

function utcMidnight(isoDate: string): Date {
  return new Date(`${isoDate}T00:00:00.000Z`);
}

/**
 * Window sums for many listings in ONE grouped query (the batch function of a dataloader), in the
 * order of `listingIds`; a listing without rows in the window gets zeros.
 */
export async function loadSalesSummaries(
  prisma: SalesReader,
  listingIds: readonly number[],
  asOf: Date,
  days: number,
): Promise<SalesSummary[]> {
  const window = salesWindow(asOf, days); // from inclusive, to exclusive (= D)
  const lastDay = new Date(utcMidnight(window.to).getTime() - DAY_MS).toISOString().slice(0, 10);
  const groups = listingIds.length
    ? await prisma.listingSalesDaily.groupBy({
        by: ['listingId'],
        where: { listingId: { in: [...listingIds] }, date: { gte: utcMidnight(window.from), lt: utcMidnight(window.to) } },
        _sum: { units: true, revenueIncVat: true, sessions: true },
      })
    : [];
  const byListing = new Map(groups.map((group) => [group.listingId, group._sum]));
  return listingIds.map((id) => {
    const sums = byListing.get(id);
    const units = sums?.units ?? 0;
    return {
      days,
      from: window.from,
      to: lastDay,
      units,
      revenueIncVat: round2(sums?.revenueIncVat?.toString() ?? ZERO),
      sessions: sums?.sessions ?? null,
      velocityUnitsPerDay: round2(new Decimal(units).dividedBy(days)),
    };
  });
}
