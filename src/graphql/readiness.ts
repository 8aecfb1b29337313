import { useReadinessCheck, type Plugin } from 'graphql-yoga';
import type { Redis } from 'ioredis';
import type { Database } from '../db/client.js';
import { status } from '../db/migrator.js';
import { withTimeout } from '../time-limit.js';

export interface ReadinessOptions {
  db: Database;
  /** Pinged when REDIS_URL is configured. */
  redis?: Redis | undefined;
  /** True once the process has begun to stop: the load balancer should send nothing more. */
  isStopping?: () => boolean;
  /** A dependency that has not answered in this time counts as down. */
  timeoutMs?: number;
}

/**
 * `GET /ready`: 200 "ready" only when the database answers, every migration this code knows is
 * applied unchanged, and Redis answers when configured; otherwise 503 with one line saying why.
 * A migration the database has and this code does not know is fine: upgrades migrate first and
 * then roll the instances, and the old ones must keep serving meanwhile.
 * `/health` stays the liveness probe: it touches nothing.
 */
export function readiness(options: ReadinessOptions): Plugin {
  return useReadinessCheck({
    endpoint: '/ready',
    async check({ fetchAPI }) {
      const reason = await whyNotReady(options);
      const headers = { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' };
      return reason === undefined
        ? new fetchAPI.Response('ready\n', { status: 200, headers })
        : new fetchAPI.Response(`not ready: ${reason}\n`, { status: 503, headers });
    },
  });
}

/** The first reason the service cannot take traffic, or undefined when it can. */
export async function whyNotReady({ db, redis, isStopping, timeoutMs = 2_000 }: ReadinessOptions): Promise<string | undefined> {
  if (isStopping?.()) return 'shutting down';
  const checks = [checkMigrations(db, timeoutMs), redis ? checkRedis(redis, timeoutMs) : Promise.resolve(undefined)];
  const reasons = await Promise.all(checks);
  return reasons.find((reason) => reason !== undefined);
}

async function checkMigrations(db: Database, timeoutMs: number): Promise<string | undefined> {
  let rows;
  try {
    // One round trip that proves both: the database answers, and what it has applied.
    rows = await withTimeout(status(db.driver), timeoutMs);
  } catch (error) {
    return `database: ${oneLine(error)}`;
  }
  const behind = rows.filter((row) => row.state === 'pending' || row.state === 'changed');
  if (behind.length === 0) return undefined;
  return `migrations: ${behind.map((row) => `${row.name} ${row.state}`).join(', ')}`;
}

async function checkRedis(redis: Redis, timeoutMs: number): Promise<string | undefined> {
  if (redis.status !== 'ready') return `redis: ${redis.status}`;
  try {
    await withTimeout(redis.ping(), timeoutMs);
    return undefined;
  } catch (error) {
    return `redis: ${oneLine(error)}`;
  }
}

function oneLine(error: unknown): string {
  const message = error instanceof Error && error.message ? error.message : String(error);
  const first = message.split('\n')[0]!.trim();
  return first.length > 200 ? `${first.slice(0, 200)}…` : first;
}
