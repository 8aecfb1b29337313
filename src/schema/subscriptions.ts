import type { Context } from '../context.js';
import type { LivePayload, LiveTopic } from '../jobs/live-updates.js';
import { jobTopic, listingTopic, recommendationTopic } from '../jobs/live-updates.js';
import { builder } from './builder.js';
import { ListingEventRef } from './events.js';
import { databaseIdOf } from './global-id.js';
import { JobRef } from './job.js';
import { RecommendationEventRef } from './recommendation.js';

/**
 * Live updates are for internal callers only (`internal:read`): a subscription names one row by id,
 * and partner row limits are not applied to event streams.
 *
 * Live updates (SSE and graphql-ws): a payload carries an id, published after its transaction
 * committed; the field loads that row, so a subscriber reads exactly what was committed.
 */
builder.subscriptionType({});

async function* liveStream(ctx: Context, topic: LiveTopic): AsyncGenerator<LivePayload> {
  if (!ctx.live) return;
  yield* ctx.live.subscribe(topic);
}

builder.subscriptionFields((t) => ({
  jobUpdated: t.field({
    type: JobRef,
    nullable: true,
    authScopes: { scope: 'internal:read' },
    description: 'The job each time its status or attempt changes (claim, retry, completion, cancel).',
    args: { id: t.arg.id({ required: true }) },
    subscribe: (_root, args, ctx) => liveStream(ctx, jobTopic(databaseIdOf(String(args.id), 'Job', 'id'))),
    resolve: (payload: LivePayload, _args, ctx) => ctx.prisma.job.findUnique({ where: { id: payload.id } }),
  }),
  listingEvents: t.field({
    type: ListingEventRef,
    nullable: true,
    authScopes: { scope: 'internal:read' },
    description: 'Each listing event of the listing as it is committed (publishes, syncs, features).',
    args: { listingId: t.arg.id({ required: true }) },
    subscribe: (_root, args, ctx) => liveStream(ctx, listingTopic(databaseIdOf(String(args.listingId), 'Listing', 'listingId'))),
    resolve: (payload: LivePayload, _args, ctx) => ctx.prisma.listingEvent.findUnique({ where: { id: payload.id } }),
  }),
  recommendationEvents: t.field({
    type: RecommendationEventRef,
    nullable: true,
    authScopes: { scope: 'internal:read' },
    description: 'Each recommendation event of one entity (give listingId or asinEntityId) as it is committed.',
    args: { listingId: t.arg.id({ required: false }), asinEntityId: t.arg.id({ required: false }) },
    subscribe: (_root, args, ctx) => {
      const listingId = args.listingId != null ? databaseIdOf(String(args.listingId), 'Listing', 'listingId') : null;
      const asinId = args.asinEntityId != null ? databaseIdOf(String(args.asinEntityId), 'AsinEntity', 'asinEntityId') : null;
      if ((listingId === null) === (asinId === null)) throw new Error('give exactly one of listingId and asinEntityId');
      return liveStream(ctx, listingId !== null ? recommendationTopic('LISTING', listingId) : recommendationTopic('ASIN', asinId!));
    },
    resolve: (payload: LivePayload, _args, ctx) => ctx.prisma.recommendationEvent.findUnique({ where: { id: payload.id } }),
  }),
}));
