import path from 'node:path';
import { z } from 'zod';

/** Raised for configuration a person must fix; the entry points print its message without a stack. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const databaseUrl = z
  .string()
  .trim()
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.hostname !== '';
    } catch {
      return false;
    }
  }, 'must be a URL of the form postgres://user@host:port/database (or postgresql://…)');

const environment = z.object({
  DATABASE_URL: z.preprocess((v) => (v === '' ? undefined : v), databaseUrl.optional()),
  PGLITE_DATA_DIR: z.string().trim().min(1).default('./.data/pglite'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SEED_DEMO_DATA: z.enum(['true', 'false', '']).default('false'),
  REDIS_URL: z.preprocess((v) => (v === '' ? undefined : v), z.string().trim().regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL').optional()),
  REDIS_CHANNEL_PREFIX: z.string().trim().min(1).max(100).default('listing-helper:'),
  WORKER_MODE: z.enum(['inline', 'separate', 'off', '']).default(''),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
  WORKER_POLL_MS: z.coerce.number().int().min(50).max(600_000).default(2_000),
  WORKER_SCHEDULE: z.enum(['on', 'off', '']).default('on'),
  SCHEDULE_OFFERS: z.string().trim().optional(),
  SCHEDULE_KEEPA: z.string().trim().optional(),
  SCHEDULE_NIGHTLY: z.string().trim().optional(),
  SCHEDULE_SWEEP: z.string().trim().optional(),
  MARKETPLACE_MODE: z.enum(['simulate', 'live', '']).default('simulate'),
  PUBLISH_ENABLED: z.enum(['true', 'false', '']).default('true'),
  SP_API_CLIENT_ID: z.string().optional(),
  SP_API_CLIENT_SECRET: z.string().optional(),
  SP_API_REFRESH_TOKEN: z.string().optional(),
  KEEPA_API_KEY: z.string().optional(),
});

export interface WorkerConfig {
  /** inline = inside the server process (default on PGlite), separate = `npm run worker` (default on PostgreSQL), off. */
  mode: 'inline' | 'separate' | 'off';
  concurrency: number;
  pollMs: number;
  scheduleEnabled: boolean;
  scheduleOverrides: Partial<Record<'offers' | 'keepa' | 'nightly' | 'sweep', string>>;
  marketplaceMode: 'simulate' | 'live';
  publishEnabled: boolean;
  /** Secrets: never logged. */
  marketplaceCredentials: { clientId?: string; clientSecret?: string; refreshToken?: string };
  keepaApiKey?: string;
}

export type DatabaseConfig =
  | { kind: 'postgres'; url: string }
  | { kind: 'pglite'; dataDir: string | 'memory' };

export interface AppConfig {
  database: DatabaseConfig;
  port: number;
  host: string;
  logLevel: z.infer<typeof environment>['LOG_LEVEL'];
  /** Fill an empty database with demo data at start: always on PGlite, on PostgreSQL only when asked. */
  seedDemoData: boolean;
  /** Live updates through Redis when set; in process otherwise. */
  redisUrl: string | null;
  /** Prefix of the live-update channels (separate installations on one Redis, tests). */
  redisChannelPrefix: string;
  worker: WorkerConfig;
}

/** Reads and validates the environment once; every problem is named by its variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = environment.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid environment: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  const database: DatabaseConfig = e.DATABASE_URL
    ? { kind: 'postgres', url: e.DATABASE_URL }
    : { kind: 'pglite', dataDir: e.PGLITE_DATA_DIR === 'memory' ? 'memory' : path.resolve(e.PGLITE_DATA_DIR) };
  const seedDemoData = database.kind === 'pglite' || e.SEED_DEMO_DATA === 'true';
  const worker: WorkerConfig = {
    mode: e.WORKER_MODE || (database.kind === 'pglite' ? 'inline' : 'separate'),
    concurrency: e.WORKER_CONCURRENCY,
    pollMs: e.WORKER_POLL_MS,
    scheduleEnabled: e.WORKER_SCHEDULE !== 'off',
    scheduleOverrides: { offers: e.SCHEDULE_OFFERS, keepa: e.SCHEDULE_KEEPA, nightly: e.SCHEDULE_NIGHTLY, sweep: e.SCHEDULE_SWEEP },
    marketplaceMode: e.MARKETPLACE_MODE || 'simulate',
    publishEnabled: e.PUBLISH_ENABLED !== 'false',
    marketplaceCredentials: { clientId: e.SP_API_CLIENT_ID, clientSecret: e.SP_API_CLIENT_SECRET, refreshToken: e.SP_API_REFRESH_TOKEN },
    keepaApiKey: e.KEEPA_API_KEY || undefined,
  };
  return { database, port: e.PORT, host: e.HOST, logLevel: e.LOG_LEVEL, seedDemoData, redisUrl: e.REDIS_URL ?? null, redisChannelPrefix: e.REDIS_CHANNEL_PREFIX, worker };
}
