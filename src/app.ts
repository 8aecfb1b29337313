import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { createYoga, maskError, type YogaServerInstance } from 'graphql-yoga';
import type { Logger } from 'pino';
import type { Context } from './context.js';
import type { Database } from './db/client.js';
import type { LiveUpdates } from './jobs/live-updates.js';
import { pageSizeLimit } from './graphql/page-size-limit.js';
import { MAX_PAGE_SIZE } from './schema/builder.js';
import { schema } from './schema/index.js';

export type App = YogaServerInstance<Record<string, never>, Context>;

export interface AppOptions {
  db: Database;
  logger: Logger;
  /** Fixed clock for tests; the service uses the wall clock per request. */
  clock?: () => Date;
  graphiql?: boolean;
  /** Pub/sub of the subscriptions (src/jobs/live-updates.ts); null = subscriptions never fire. */
  live?: LiveUpdates | null;
}

/** The GraphQL HTTP handler, usable in-process through `app.fetch` (tests) or behind node:http. */
export function createApp({ db, logger, clock = () => new Date(), graphiql = true, live = null }: AppOptions): App {
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
      EnvelopArmorPlugin({
        maxDepth: { n: 12 },
        maxAliases: { n: 30 },
        costLimit: { maxCost: 50_000 },
        maxTokens: { n: 5_000 },
        blockFieldSuggestion: { enabled: false },
      }),
      pageSizeLimit(MAX_PAGE_SIZE),
    ],
    context: (): Context => ({ prisma: db.prisma, logger, now: clock(), cache: new Map(), live }),
  });
}

