/**
 * The GraphQL server's plugins, in the order they run. Order matters: what sees every request comes
 * first, who is calling is settled before anything is parsed or charged, the cheap static limits
 * refuse a document before the dearer ones measure it, and error masking runs last so it sees
 * every error the others raised.
 *
 * /health, /ready and the GraphiQL page are answered before the key check, so they stay public.
 */
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import type { GraphQLError, ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Limits } from '../config.js';
import type { Context } from '../context.js';
import type { Database } from '../db/client.js';
import type { ApiKeyAuth } from './auth.js';
import { csrfPrevention } from './browser.js';
import { costLimit } from './cost-limit.js';
import { inputGuard } from './input-guard.js';
import { inputPaths } from './input-paths.js';
import type { Metrics } from './metrics.js';
import { operationLog } from './operation-log.js';
import { operationTracking } from './operation-tracking.js';
import { pageSizeLimit } from './page-size-limit.js';
import { usePartnerPersistedOperations, type PersistedManifest } from './persisted-operations.js';
import type { KeyRateLimits } from './rate-limit.js';
import { readiness } from './readiness.js';
import { requestGuard } from './request-guard.js';
import { requestIdPlugin } from './request-id.js';

export interface PluginOptions {
  graphqlEndpoint: string;
  db: Database;
  logger: Logger;
  limits: Limits;
  auth: ApiKeyAuth;
  /** Per-key limits (built by the app, which graphql-ws shares: src/graphql/ws.ts). */
  rateLimits: KeyRateLimits;
  persistedOperations: PersistedManifest;
  /** The error masking plugin (src/graphql/error-handling.ts). */
  errorMasking: Plugin<Context>;
  defaultPageSize: number;
  maxPageSize: number;
  metrics?: Metrics;
  redis?: Redis;
  isStopping?: () => boolean;
  /** The compiled read path (src/graphql/compiled-reads.ts); null = resolver path only. */
  compiledReads?: AnyPlugin | null;
}

// Yoga's plugin type is invariant in its context; the list mixes plugins written for several.
type AnyPlugin = Plugin<any>;

export function graphqlPlugins(o: PluginOptions): AnyPlugin[] {
  const { limits } = o;
  return [
    // First, so it sees every request whole: one log line and the metrics per operation.
    operationTracking({
      listeners: [operationLog(o.logger), ...(o.metrics ? [o.metrics.recordOperation] : [])],
      callerOf: (context) => (context as Partial<Context>).viewer?.name ?? null,
    }),
    readiness({ db: o.db, redis: o.redis, isStopping: o.isStopping }),
    ...(o.metrics ? [o.metrics.plugin] : []),
    requestIdPlugin(),
    // Who is calling: 401 for no / unknown / revoked / expired key, before anything is parsed.
    o.auth.plugin,
    // Per-key requests and query cost per minute: 429 with Retry-After.
    o.rateLimits.plugin,
    // A request a browser sends without a preflight must carry the CSRF header.
    csrfPrevention(),
    // Partner keys: registered operations only, no introspection.
    ...usePartnerPersistedOperations(o.auth, o.persistedOperations),
    // Nesting of the request body (JSON) before GraphQL parses it.
    requestGuard(limits.maxNesting),
    // Static limits of the document: depth, aliases, tokens.
    armor(limits, o.logger),
    // `first` / `last` above the maximum page size are refused, not clamped.
    pageSizeLimit(o.maxPageSize),
    // String, list and variable sizes of the inputs.
    inputGuard(limits),
    // Values GraphQL refuses (an invalid Decimal, an unknown enum value) name their argument path.
    inputPaths(),
    // The estimated cost (pages × list sizes) of the whole operation.
    costLimit(limits, o.defaultPageSize),
    // Unexpected errors reach the client as "Unexpected error." and are logged once.
    o.errorMasking,
    // Last: once every check above has passed, a listings/listing query runs as one statement.
    ...(o.compiledReads ? [o.compiledReads] : []),
  ];
}

/**
 * graphql-armor's static limits, each rejection logged (which rule, its message) so an operator can
 * see what clients are refused. Its own cost limit is off: costLimit above multiplies by page and
 * list sizes, which armor cannot.
 */
function armor(limits: Limits, logger: Logger): AnyPlugin {
  const logged = (rule: string) => ({
    onReject: [
      (_context: ValidationContext | null, error: GraphQLError) => {
        logger.warn({ rule, reason: error.message }, 'graphql-armor refused an operation');
      },
    ],
  });
  return EnvelopArmorPlugin({
    maxDepth: { n: limits.maxDepth, ...logged('maxDepth') },
    // allowList [] counts `__typename` aliases too (armor exempts them by default).
    maxAliases: { n: limits.maxAliases, allowList: [], ...logged('maxAliases') },
    costLimit: { enabled: false },
    maxTokens: { n: limits.maxTokens, ...logged('maxTokens') },
    blockFieldSuggestion: { enabled: false },
  });
}
