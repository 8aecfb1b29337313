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
  NODE_ENV: z.string().trim().default('development'),
  GRAPHIQL: z.enum(['true', 'false', '']).default(''),
  CORS_ORIGINS: z.string().trim().default(''),
  REDIS_URL: z.preprocess((v) => (v === '' ? undefined : v), z.string().trim().url().optional()),
  RATE_LIMIT_REQUESTS_PER_MINUTE: z.coerce.number().int().min(1).default(60_000),
  RATE_LIMIT_COST_PER_MINUTE: z.coerce.number().int().min(1).default(50_000_000),
  PARTNER_RATE_LIMIT_REQUESTS_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  PARTNER_RATE_LIMIT_COST_PER_MINUTE: z.coerce.number().int().min(1).default(1_000_000),
});

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
  /** GraphiQL at GET /graphql: on unless NODE_ENV=production (GRAPHIQL=true/false decides explicitly). */
  graphiql: boolean;
  /** Origins a browser may call the API from (CORS); empty = none (closed). */
  corsOrigins: string[];
  /** Redis for the per-key rate limits shared by every instance; unset = in memory. */
  redisUrl: string | undefined;
  rateLimits: RateLimitConfig;
}

export interface RateLimitConfig {
  /** Per key and minute, for dashboard, script and admin keys. */
  requestsPerMinute: number;
  costPerMinute: number;
  /** Per key and minute, for partner keys. */
  partnerRequestsPerMinute: number;
  partnerCostPerMinute: number;
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
  const graphiql = e.GRAPHIQL === '' ? e.NODE_ENV !== 'production' : e.GRAPHIQL === 'true';
  const corsOrigins = e.CORS_ORIGINS.split(',').map((origin) => origin.trim()).filter(Boolean);
  const rateLimits: RateLimitConfig = {
    requestsPerMinute: e.RATE_LIMIT_REQUESTS_PER_MINUTE,
    costPerMinute: e.RATE_LIMIT_COST_PER_MINUTE,
    partnerRequestsPerMinute: e.PARTNER_RATE_LIMIT_REQUESTS_PER_MINUTE,
    partnerCostPerMinute: e.PARTNER_RATE_LIMIT_COST_PER_MINUTE,
  };
  return { database, port: e.PORT, host: e.HOST, logLevel: e.LOG_LEVEL, seedDemoData, graphiql, corsOrigins, redisUrl: e.REDIS_URL, rateLimits };
}
