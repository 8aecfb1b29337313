import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { DEFAULT_LIMITS, type Limits } from './config.js';
import type { Context } from './context.js';
import type { Database } from './db/client.js';
import type { LiveUpdates } from './jobs/live-updates.js';
import { costLimit } from './graphql/cost-limit.js';
import { errorHandling } from './graphql/error-handling.js';
import { inputGuard } from './graphql/input-guard.js';
import type { Metrics } from './graphql/metrics.js';
import { operationLog } from './graphql/operation-log.js';
import { operationTracking } from './graphql/operation-tracking.js';
import { pageSizeLimit } from './graphql/page-size-limit.js';
import { readiness } from './graphql/readiness.js';
import { requestGuard } from './graphql/request-guard.js';
import { requestIdOf, requestIdPlugin } from './graphql/request-id.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './schema/builder.js';
import { schema } from './schema/index.js';

export type App = YogaServerInstance<Record<string, never>, Context>;

export interface AppOptions {
  db: Database;
  logger: Logger;
  /** Fixed clock for tests; the service uses the wall clock per request. */
  clock?: () => Date;
  graphiql?: boolean;
  /** Prometheus metrics (server.ts serves them on the metrics port); none when absent. */
  metrics?: Metrics;
  /** The Redis connection when REDIS_URL is set: `/ready` pings it. */
  redis?: Redis;
  /** True once the process is stopping: `/ready` answers 503. */
  isStopping?: () => boolean;
  /** What one request may cost (README "Limits"); defaults: DEFAULT_LIMITS. */
  limits?: Partial<Limits>;
  /** Pub/sub of the subscriptions (src/jobs/live-updates.ts); null = subscriptions never fire. */
  live?: LiveUpdates | null;
}

/** The GraphQL HTTP handler, usable in-process through `app.fetch` (tests) or behind node:http. */
export function createApp({ db, logger, clock = () => new Date(), graphiql = true, metrics, redis, isStopping, limits: given, live = null }: AppOptions): App {
  const limits = { ...DEFAULT_LIMITS, ...given };
  const errors = errorHandling(logger, limits.statementTimeoutMs);
  return createYoga<Record<string, never>, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    graphiql,
    landingPage: false,
    healthCheckEndpoint: '/health',
    maxRequestBodySize: limits.maxBodyBytes,
    // Unexpected errors reach the client as "Unexpected error."; errorHandling logs them once.
    logging: errors.logging,
    plugins: [
      // First, so it sees every request whole: one log line and the metrics per operation.
      operationTracking({ listeners: [operationLog(logger), ...(metrics ? [metrics.recordOperation] : [])] }),
      readiness({ db, redis, isStopping }),
      ...(metrics ? [metrics.plugin] : []),
      requestIdPlugin(),
      requestGuard(limits.maxNesting),
      EnvelopArmorPlugin({
        maxDepth: { n: limits.maxDepth },
        // allowList [] counts `__typename` aliases too (armor exempts them by default).
        maxAliases: { n: limits.maxAliases, allowList: [] },
        // Replaced by costLimit, which multiplies by page and list sizes.
        costLimit: { enabled: false },
        maxTokens: { n: limits.maxTokens },
        blockFieldSuggestion: { enabled: false },
      }),
      pageSizeLimit(MAX_PAGE_SIZE),
      inputGuard(limits),
      costLimit(limits, DEFAULT_PAGE_SIZE),
      errors.plugin,
    ],
    context: ({ request }): Context => ({ prisma: db.prisma, logger, now: clock(), cache: new Map(), requestId: requestIdOf(request), live }),
  });
}
