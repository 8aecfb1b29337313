import { GraphQLError, type ExecutionArgs } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Viewer } from '../auth/viewer.js';
import type { RateLimitConfig } from '../config.js';
import type { ApiKeyAuth } from './auth.js';
import { refusal } from './auth.js';

/**
 * Per-key limits on requests and on query cost per window (rate-limiter-flexible). With Redis the
 * counters are shared by every gateway instance; without, each process counts its own. A Redis
 * outage falls back to in-process counting (insurance limiter) rather than refusing everyone.
 */
export interface RateLimitOptions extends RateLimitConfig {
  redis?: Redis;
  /** Redis key prefix (tests use a random one). */
  keyPrefix?: string;
  /** Window length in seconds; 60 = "per minute". */
  windowSeconds?: number;
}

type Kind = 'requests' | 'cost';
type Tier = 'partner' | 'standard';

function limiter(options: RateLimitOptions, name: string, points: number): RateLimiterAbstract {
  const duration = options.windowSeconds ?? 60;
  const keyPrefix = `${options.keyPrefix ?? 'lh:rate'}:${name}`;
  const memory = new RateLimiterMemory({ points, duration, keyPrefix });
  if (!options.redis) return memory;
  return new RateLimiterRedis({ storeClient: options.redis, points, duration, keyPrefix, insuranceLimiter: memory });
}

function tooMany(res: RateLimiterRes, what: string) {
  const retryAfter = String(Math.max(1, Math.ceil(res.msBeforeNext / 1000)));
  return { retryAfter, message: `Rate limit exceeded: too many ${what} for this key; retry after ${retryAfter} s.` };
}

export interface KeyRateLimits {
  plugin: Plugin;
  /** Counts one request of the viewer's key; the refusal when over the limit, else null. */
  consumeRequest(viewer: Viewer): Promise<{ retryAfter: string; message: string } | null>;
}

/** `costOf`: the operation's cost, by the same estimate the per-request cost limit uses (src/graphql/cost-limit.ts). */
export function useKeyRateLimits(auth: ApiKeyAuth, graphqlEndpoint: string, options: RateLimitOptions, costOf: (args: ExecutionArgs) => number): KeyRateLimits {
  const limiters: Record<Tier, Record<Kind, RateLimiterAbstract>> = {
    standard: { requests: limiter(options, 'req', options.requestsPerMinute), cost: limiter(options, 'cost', options.costPerMinute) },
    partner: {
      requests: limiter(options, 'preq', options.partnerRequestsPerMinute),
      cost: limiter(options, 'pcost', options.partnerCostPerMinute),
    },
  };
  const tierOf = (viewer: Viewer): Tier => (viewer.role === 'partner' ? 'partner' : 'standard');
  async function consumeRequest(viewer: Viewer) {
    try {
      await limiters[tierOf(viewer)].requests.consume(viewer.name, 1);
      return null;
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
      return tooMany(error, 'requests');
    }
  }

  const plugin: Plugin = {
    async onRequest({ request, url, endResponse }) {
      if (url.pathname !== graphqlEndpoint || request.method === 'OPTIONS') return;
      const refused = await consumeRequest(auth.viewerOf(request));
      if (refused) endResponse(refusal(429, 'RATE_LIMITED', refused.message, { 'retry-after': refused.retryAfter }));
    },
    async onExecute({ args, setResultAndStopExecution }) {
      const viewer = (args.contextValue as { viewer?: Viewer }).viewer;
      if (!viewer) return;
      const cost = costOf(args);
      if (cost <= 0) return;
      try {
        await limiters[tierOf(viewer)].cost.consume(viewer.name, cost);
      } catch (error) {
        if (!(error instanceof RateLimiterRes)) throw error;
        const { retryAfter, message } = tooMany(error, 'query cost');
        setResultAndStopExecution({
          errors: [new GraphQLError(message, { extensions: { code: 'RATE_LIMITED', http: { status: 429, headers: { 'retry-after': retryAfter } } } })],
        });
      }
    },
  };
  return { plugin, consumeRequest };
}
