import { Redis } from 'ioredis';

/**
 * The process's Redis connection (REDIS_URL), for whatever needs one: rate limits, live-update
 * fan-out, the readiness probe. Redis is optional: without REDIS_URL nothing here is used.
 *
 * Commands fail fast while disconnected (no offline queue, one retry) so a probe or a limiter
 * answers within its own timeout instead of queueing behind a reconnect; ioredis keeps
 * reconnecting in the background with a capped backoff.
 */
export function openRedis(url: string, onError: (error: Error) => void): Redis {
  const redis = new Redis(url, {
    lazyConnect: false,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
  // Unhandled, ioredis prints every failed reconnect; report the first of each outage once.
  let reported = false;
  redis.on('error', (error: Error) => {
    if (!reported) onError(error);
    reported = true;
  });
  redis.on('ready', () => (reported = false));
  return redis;
}

/** QUIT when connected (lets pending replies arrive), otherwise drop the socket. */
export async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === 'ready') {
    await redis.quit().catch(() => redis.disconnect());
  } else {
    redis.disconnect();
  }
}
