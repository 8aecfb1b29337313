import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { createYoga, maskError, type YogaServerInstance } from 'graphql-yoga';
import type { Logger } from 'pino';
import { KeyCache } from './auth/key-cache.js';
import type { Context } from './context.js';
import type { Database } from './db/client.js';
import { useApiKeyAuth, type ViewerOverride } from './graphql/auth.js';
import { corsOptions, csrfPrevention, graphiqlOptions, renderGraphiQL } from './graphql/browser.js';
import { pageSizeLimit } from './graphql/page-size-limit.js';
import { loadManifest, usePartnerPersistedOperations, type PersistedManifest } from './graphql/persisted-operations.js';
import { useKeyRateLimits, type RateLimitOptions } from './graphql/rate-limit.js';
import { MAX_PAGE_SIZE } from './schema/builder.js';
import { schema } from './schema/index.js';

export type App = YogaServerInstance<Record<string, never>, Context>;

const GRAPHQL_ENDPOINT = '/graphql';

/** Limits when the caller gives none (the server passes the configured ones, src/config.ts). */
export const DEFAULT_RATE_LIMITS: RateLimitOptions = {
  requestsPerMinute: 60_000,
  costPerMinute: 50_000_000,
  partnerRequestsPerMinute: 600,
  partnerCostPerMinute: 1_000_000,
};

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
}

/** The GraphQL HTTP handler, usable in-process through `app.fetch` (tests) or behind node:http. */
export function createApp(options: AppOptions): App {
  const { db, logger, clock = () => new Date(), graphiql = true } = options;
  const keys = new KeyCache(db.prisma, options.keyCacheTtlMs, (error) => logger.warn({ err: error }, 'API key bookkeeping failed'));
  const auth = useApiKeyAuth({ keys, graphqlEndpoint: GRAPHQL_ENDPOINT, clock, override: options.viewerOverride });
  return createYoga<Record<string, never>, Context>({
    schema,
    graphqlEndpoint: GRAPHQL_ENDPOINT,
    graphiql: graphiql ? graphiqlOptions(options.graphiqlKey) : false,
    renderGraphiQL,
    cors: corsOptions(options.corsOrigins ?? []),
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
    // Health (/health) and the GraphiQL page are answered by yoga before these run, so they stay public.
    plugins: [
      // Who is calling: 401 for no / unknown / revoked / expired key, before anything is parsed.
      auth.plugin,
      // Per-key requests and query cost per minute: 429 with Retry-After.
      useKeyRateLimits(auth, GRAPHQL_ENDPOINT, options.rateLimits ?? DEFAULT_RATE_LIMITS),
      // A request a browser sends without a preflight must carry the CSRF header.
      csrfPrevention(),
      // Partner keys: registered operations only, no introspection.
      ...usePartnerPersistedOperations(auth, options.persistedOperations ?? loadManifest()),
      EnvelopArmorPlugin({
        maxDepth: { n: 12 },
        maxAliases: { n: 30 },
        costLimit: { maxCost: 50_000 },
        maxTokens: { n: 5_000 },
        blockFieldSuggestion: { enabled: false },
      }),
      pageSizeLimit(MAX_PAGE_SIZE),
    ],
    context: ({ request }): Context => ({ prisma: db.prisma, logger, now: clock(), cache: new Map(), viewer: auth.viewerOf(request) }),
  });
}
