import type { PrismaClient } from './generated/prisma/client.js';
import type { Logger } from 'pino';
import type { Viewer } from './auth/viewer.js';
import type { LiveUpdates } from './jobs/live-updates.js';
import type { FailureHook } from './resolvers/core/run-mutation.js';

/** Per-request context: the database client, request-scoped caches, and who is calling. */
export interface Context {
  prisma: PrismaClient;
  logger: Logger;
  /** Clock for every computation of the request (docs/domain-rules.md §0: explicit asOf, injectable). */
  now: Date;
  /** Request-scoped values many fields share: dataloaders, settings. */
  cache: Map<string, unknown>;
  /** Who is calling (src/auth): role, scopes, marketplace limits. Requests without one get 401 before this exists. */
  viewer: Viewer;
  /** The request's id (also the x-request-id response header and in every log line about it). */
  requestId: string;
  /** Live updates (subscriptions; mutations publish after commit). */
  live: LiveUpdates | null;
  /** Tests only (AppOptions.failureHook): runs at every mutation checkpoint; absent in the service. */
  failureHook?: FailureHook;
}

/** The request's single instance of a value (a dataloader, a settings promise), created on first use. */
export function memo<T>(ctx: Context, key: string, create: () => T): T {
  if (!ctx.cache.has(key)) ctx.cache.set(key, create());
  return ctx.cache.get(key) as T;
}
