import type { PrismaClient } from './generated/prisma/client.js';
import type { Logger } from 'pino';

/** Per-request context: the database client, request-scoped caches, and who is calling. */
export interface Context {
  prisma: PrismaClient;
  logger: Logger;
  /** Clock for every computation of the request (DOMAIN §0: explicit asOf, injectable). */
  now: Date;
  /** Request-scoped memo for values many fields share (settings, economics inputs). */
  cache: Map<string, Promise<unknown>>;
}

export function memo<T>(ctx: Context, key: string, load: () => Promise<T>): Promise<T> {
  let value = ctx.cache.get(key) as Promise<T> | undefined;
  if (!value) {
    value = load();
    ctx.cache.set(key, value);
  }
  return value;
}
