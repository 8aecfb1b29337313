import { GraphQLError } from 'graphql';
import type { Context } from '../context.js';
import { loadSalesSummaries, type SalesSummary } from '../resolvers/read/loaders-sales.js';
import { builder } from './builder.js';

/** Longest range `Listing.salesDays` serves in one call (a leap year). */
export const MAX_SALES_DAYS_RANGE = 366;
const DAY_MS = 86_400_000;

export const SalesDayRef = builder.prismaNode('ListingSalesDaily', {
  name: 'SalesDay',
  authScopes: { scope: 'read' },
  description: 'One day of sales of a listing (listing_sales_daily).',
  id: { field: 'id' },
  fields: (t) => ({
    databaseId: t.exposeInt('id'),
    date: t.expose('date', { type: 'Date' }),
    units: t.exposeInt('units', { nullable: true }),
    revenueIncVat: t.expose('revenueIncVat', { type: 'Decimal', nullable: true }),
    sessions: t.exposeInt('sessions', { nullable: true }),
    pageViews: t.exposeInt('pageViews', { nullable: true }),
    conversionRate: t.expose('conversionRate', { type: 'Decimal', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime', nullable: true }),
    listing: t.relation('listing'),
  }),
});

const SalesSummaryRef = builder.objectRef<SalesSummary>('SalesSummary').implement({
  authScopes: { scope: 'read' },
  description: 'Sales of a listing over the N complete UTC days before today (D−N … D−1).',
  fields: (t) => ({
    days: t.exposeInt('days', { description: 'N, the length of the window in days.' }),
    from: t.field({ type: 'Date', description: 'First day of the window (D−N).', resolve: (s) => new Date(`${s.from}T00:00:00Z`) }),
    to: t.field({ type: 'Date', description: 'Last day of the window (D−1).', resolve: (s) => new Date(`${s.to}T00:00:00Z`) }),
    units: t.exposeInt('units'),
    revenueIncVat: t.field({ type: 'Decimal', resolve: (s) => s.revenueIncVat.toFixed(2) }),
    sessions: t.exposeInt('sessions', { nullable: true, description: 'Null when no day of the window recorded sessions.' }),
    velocityUnitsPerDay: t.field({ type: 'Decimal', description: 'units / N, 2 dp.', resolve: (s) => s.velocityUnitsPerDay.toFixed(2) }),
  }),
});

function badArgument(argumentName: string, message: string): GraphQLError {
  return new GraphQLError(`Invalid argument "${argumentName}": ${message}`, {
    extensions: { code: 'BAD_USER_INPUT', argument: argumentName },
  });
}

/** The error for a refused range, or null when `from … to` (inclusive) is acceptable. */
function salesRangeError(from: Date, to: Date): GraphQLError | null {
  if (from.getTime() > to.getTime()) return badArgument('from', 'must not be after "to"');
  const days = Math.round((to.getTime() - from.getTime()) / DAY_MS) + 1;
  if (days > MAX_SALES_DAYS_RANGE) {
    return badArgument('to', `the range from "from" to "to" covers ${days} days; at most ${MAX_SALES_DAYS_RANGE} are allowed`);
  }
  return null;
}

function summaryDescription(days: number): string {
  return `Sales over the ${days} complete days D−${days} … D−1, D = today (UTC) of the request clock.`;
}

builder.prismaObjectFields('Listing', (t) => {
  // Loadable: one grouped query for every listing of the page, per window.
  const summaryOver = (days: 7 | 30) =>
    t.loadable({
      type: SalesSummaryRef,
      authScopes: { scope: 'read' },
      description: summaryDescription(days),
      load: (ids: number[], ctx: Context) => loadSalesSummaries(ctx.prisma, ids, ctx.now, days),
      resolve: (listing) => listing.id,
    });
  return {
    salesDays: t.field({
      type: [SalesDayRef],
      authScopes: { scope: 'read' },
      description: `Daily sales from "from" to "to" (both inclusive), date ascending; at most ${MAX_SALES_DAYS_RANGE} days.`,
      args: {
        from: t.arg({ type: 'Date', required: true }),
        to: t.arg({ type: 'Date', required: true }),
      },
      select: (args, _ctx, nestedSelection) => ({
        salesDays: nestedSelection({
          where: { date: { gte: args.from, lte: args.to } },
          orderBy: { date: 'asc' },
          // A refused range loads nothing; the resolver reports it.
          ...(salesRangeError(args.from, args.to) ? { take: 0 } : {}),
        }),
      }),
      resolve: (listing, args) => {
        const error = salesRangeError(args.from, args.to);
        if (error) throw error;
        return listing.salesDays;
      },
    }),
    salesSummary7d: summaryOver(7),
    salesSummary30d: summaryOver(30),
  };
});
