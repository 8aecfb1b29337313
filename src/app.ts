import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { KeyCache } from './auth/key-cache.js';
import { DEFAULT_LIMITS, DEFAULT_RATE_LIMITS, type Limits } from './config.js';
import type { Context } from './context.js';
import type { Database } from './db/client.js';
import { useApiKeyAuth, type ViewerOverride } from './graphql/auth.js';
import { corsOptions, graphiqlOptions, renderGraphiQL } from './graphql/browser.js';
import { compiledReads } from './graphql/compiled-reads.js';
import type { LiveUpdates } from './jobs/live-updates.js';
import type { FailureHook } from './resolvers/core/run-mutation.js';
import { errorHandling } from './graphql/error-handling.js';
import type { Metrics } from './graphql/metrics.js';
import { loadManifest, type PersistedManifest } from './graphql/persisted-operations.js';
import { graphqlPlugins } from './graphql/plugins.js';
import { useKeyRateLimits, type RateLimitOptions } from './graphql/rate-limit.js';
import { costLimitCharge } from './graphql/cost-limit.js';
import { requestIdOf } from './graphql/request-id.js';
import { socketGate, type SocketGate } from './graphql/ws.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './schema/builder.js';
import { schema } from './schema/index.js';

/** The yoga server plus the gate graphql-ws passes (src/graphql/ws.ts), since upgrades skip `onRequest`. */
export type App = YogaServerInstance<Record<string, never>, Context> & { readonly sockets: SocketGate };

const GRAPHQL_ENDPOINT = '/graphql';

/** Per-key limits when the caller gives none (the server passes the configured ones). */
export { DEFAULT_RATE_LIMITS } from './config.js';

export interface AppOptions {
  db: Database;
  logger: Logger;
  /** Fixed clock for tests; the service uses the wall clock per request. */
  clock?: () => Date;
  graphiql?: boolean;
  /** A key GraphiQL opens with, for browsers on this machine (the embedded database's local admin key). */
  graphiqlKey?: string;
  /** Origins allowed to call from a browser (CORS); none by default. */
  corsOrigins?: readonly string[];
  /** Per-key requests and query cost per minute (with `redis`: shared by every instance). */
  rateLimits?: RateLimitOptions;
  /** Operations partner keys may run; default: src/graphql/persisted/manifest.json. */
  persistedOperations?: PersistedManifest;
  /**
   * Tests only: decides the viewer of a request without a key (test/support/graphql.ts injects an
   * admin by default). The server never passes it, so no request can reach it in production.
   */
  viewerOverride?: ViewerOverride;
  /** How long a looked-up API key is trusted (ms); default src/auth/key-cache.ts. */
  keyCacheTtlMs?: number;
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
  /**
   * Tests only: runs at every checkpoint of every mutation transaction (src/resolvers/core/run-mutation.ts);
   * throwing there fails the transaction at that point. The server never passes it.
   */
  failureHook?: FailureHook;
  /** Answer `listings` / `listing` queries with one compiled SQL statement (default true; false = resolver path only). */
  compiledReads?: boolean;
}

/** The GraphQL HTTP handler, usable in-process through `app.fetch` (tests) or behind node:http. */
export function createApp(options: AppOptions): App {
  const { db, logger, clock = () => new Date(), graphiql = true, metrics, redis, isStopping, live = null } = options;
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const errors = errorHandling(logger, limits.statementTimeoutMs);
  const keys = new KeyCache(db.prisma, options.keyCacheTtlMs, (error) => logger.warn({ err: error }, 'API key bookkeeping failed'));
  const auth = useApiKeyAuth({ keys, graphqlEndpoint: GRAPHQL_ENDPOINT, clock, override: options.viewerOverride });
  const rateLimits = useKeyRateLimits(auth, GRAPHQL_ENDPOINT, options.rateLimits ?? DEFAULT_RATE_LIMITS, costLimitCharge(limits, DEFAULT_PAGE_SIZE));
  const yoga = createYoga<Record<string, never>, Context>({
    schema,
    graphqlEndpoint: GRAPHQL_ENDPOINT,
    graphiql: graphiql ? graphiqlOptions(options.graphiqlKey) : false,
    renderGraphiQL,
    cors: corsOptions(options.corsOrigins ?? []),
    landingPage: false,
    healthCheckEndpoint: '/health',
    maxRequestBodySize: limits.maxBodyBytes,
    // Unexpected errors reach the client as "Unexpected error."; errorHandling logs them once.
    logging: errors.logging,
    // The ordered, commented list: src/graphql/plugins.ts.
    plugins: graphqlPlugins({
      graphqlEndpoint: GRAPHQL_ENDPOINT,
      db,
      logger,
      limits,
      auth,
      rateLimits,
      persistedOperations: options.persistedOperations ?? loadManifest(),
      errorMasking: errors.plugin,
      defaultPageSize: DEFAULT_PAGE_SIZE,
      maxPageSize: MAX_PAGE_SIZE,
      metrics,
      redis,
      isStopping,
      compiledReads: options.compiledReads === false ? null : compiledReads({ schema, readRows: db.readRows, defaultPageSize: DEFAULT_PAGE_SIZE, logger, registry: metrics?.registry }),
    }),
    context: ({ request }): Context => ({
      prisma: db.prisma,
      logger,
      now: clock(),
      cache: new Map(),
      requestId: requestIdOf(request),
      viewer: auth.viewerOf(request),
      live,
      ...(options.failureHook ? { failureHook: options.failureHook } : {}),
    }),
  });
  return Object.assign(yoga, { sockets: socketGate(auth, rateLimits, limits.maxNesting) });
}
