/**
 * Live updates (the one place a pub/sub is created): handlers and mutations publish row ids after
 * their transaction commits; GraphQL subscriptions load the rows by id. With REDIS_URL the messages
 * travel through Redis (@graphql-yoga/redis-event-target), so a subscriber on one gateway instance
 * sees what a worker process or another instance committed; without it they stay in process.
 */
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { createPubSub } from 'graphql-yoga';
import { Redis } from 'ioredis';

export type LiveTopic = `job:${number}` | `listing:${number}` | `recommendations:${'LISTING' | 'ASIN'}:${number}`;

/** Ids only: subscribers read the committed row, so Redis never carries row data. */
export interface LivePayload {
  id: number;
}

export interface LiveUpdates {
  readonly kind: 'redis' | 'memory';
  publish(topic: LiveTopic, payload: LivePayload): void;
  subscribe(topic: LiveTopic): AsyncIterable<LivePayload>;
  close(): Promise<void>;
}

export interface LiveUpdatesOptions {
  redisUrl?: string | null;
  /** Channel prefix (tests use a random one so parallel runs never hear each other). */
  prefix?: string;
}

export type LiveEvent = { topic: LiveTopic; payload: LivePayload };

export function createLiveUpdates(options: LiveUpdatesOptions = {}): LiveUpdates {
  const prefix = options.prefix ?? 'listing-helper:';
  if (!options.redisUrl) {
    const pubsub = createPubSub<Record<string, [LivePayload]>>();
    return {
      kind: 'memory',
      publish: (topic, payload) => pubsub.publish(prefix + topic, payload),
      subscribe: (topic) => pubsub.subscribe(prefix + topic),
      close: async () => undefined,
    };
  }
  // A subscribed Redis connection can do nothing else, so publishing needs its own.
  const publishClient = new Redis(options.redisUrl, { lazyConnect: false, maxRetriesPerRequest: 3 });
  // SUBSCRIBE waits for a reconnect instead of failing (the library does not handle that rejection).
  const subscribeClient = new Redis(options.redisUrl, { lazyConnect: false, maxRetriesPerRequest: null });
  for (const client of [publishClient, subscribeClient]) client.on('error', () => undefined);
  const target = createRedisEventTarget<CustomEvent>({ publishClient, subscribeClient });
  // The library's dispatch does not handle a failed PUBLISH (Redis down): that would be an
  // unhandled rejection. A live update is best effort; the committed rows stay the truth.
  target.dispatchEvent = (event: CustomEvent) => {
    publishClient.publish(event.type, event.detail === undefined ? '' : JSON.stringify(event.detail)).catch(() => undefined);
    return true;
  };
  const pubsub = createPubSub<Record<string, [LivePayload]>>({ eventTarget: target });
  return {
    kind: 'redis',
    publish: (topic, payload) => pubsub.publish(prefix + topic, payload),
    subscribe: (topic) => pubsub.subscribe(prefix + topic),
    async close() {
      await Promise.allSettled([publishClient.quit(), subscribeClient.quit()]);
    },
  };
}

/** Publishes what a committed transaction wrote, in order. */
export function publishAll(live: LiveUpdates | null | undefined, events: readonly LiveEvent[]): void {
  if (!live) return;
  for (const event of events) live.publish(event.topic, event.payload);
}

export const jobTopic = (id: number): LiveTopic => `job:${id}`;
export const listingTopic = (id: number): LiveTopic => `listing:${id}`;
export const recommendationTopic = (entityType: 'LISTING' | 'ASIN', entityId: number): LiveTopic => `recommendations:${entityType}:${entityId}`;
