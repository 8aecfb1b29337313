import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { createYoga, maskError, type YogaServerInstance } from 'graphql-yoga';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Context } from './context.js';
import type { Database } from './db/client.js';
import type { Metrics } from './graphql/metrics.js';
import { operationLog } from './graphql/operation-log.js';
import { operationTracking } from './graphql/operation-tracking.js';
import { pageSizeLimit } from './graphql/page-size-limit.js';
import { readiness } from './graphql/readiness.js';
import { MAX_PAGE_SIZE } from './schema/builder.js';
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
}

/** The GraphQL HTTP handler, usable in-process through `app.fetch` (tests) or behind node:http. */
export function createApp({ db, logger, clock = () => new Date(), graphiql = true, metrics, redis, isStopping }: AppOptions): App {
  return createYoga<Record<string, never>, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    graphiql,
    landingPage: false,
    healthCheckEndpoint: '/health',
    logging: {
      debug: (...args) => logger.debug(args.map(String).join(' ')),
      info: (...args) => logger.info(args.map(String).join(' ')),
      warn: (...args) => logger.warn(args.map(String).join(' ')),
      error: (...args) => logger.error(args.length === 1 ? args[0] : args, 'graphql error'),
    },
    // Unexpected errors reach the client as "Unexpected error." and are logged in full here.
    maskedErrors: {
      maskError(error, message) {
        const masked = maskError(error, message, false);
        if (masked !== error) {
          logger.error({ err: (error as { originalError?: unknown }).originalError ?? error }, 'unexpected error while resolving a request');
        }
        return masked;
      },
    },
    plugins: [
      // First, so it sees every request whole: one log line and the metrics per operation.
      operationTracking({ listeners: [operationLog(logger), ...(metrics ? [metrics.recordOperation] : [])] }),
      readiness({ db, redis, isStopping }),
      ...(metrics ? [metrics.plugin] : []),
      EnvelopArmorPlugin({
        maxDepth: { n: 12 },
        maxAliases: { n: 30 },
        costLimit: { maxCost: 50_000 },
        maxTokens: { n: 5_000 },
        blockFieldSuggestion: { enabled: false },
      }),
      pageSizeLimit(MAX_PAGE_SIZE),
    ],
    context: (): Context => ({ prisma: db.prisma, logger, now: clock(), cache: new Map() }),
  });
}

