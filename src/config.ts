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

const redisUrl = z
  .string()
  .trim()
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'redis:' || url.protocol === 'rediss:') && url.hostname !== '';
    } catch {
      return false;
    }
  }, 'must be a URL of the form redis://[user:password@]host:port[/db] (or rediss://…)');

/** What one request may cost (README "Limits"); each refusal is an error naming its limit. */
export interface Limits {
  /** Request body, in bytes (HTTP 413 above). */
  maxBodyBytes: number;
  /** Characters of a `search` argument. */
  maxSearchLength: number;
  /** Characters of any other text argument or input field (names, SKUs, reasons, notes…). */
  maxTextLength: number;
  /** Elements of `nodes(ids:)`. */
  maxNodeIds: number;
  /** Elements of any other list argument or input field (BOM lines, status filters…). */
  maxListLength: number;
  /** Aliased fields per document, `__typename` included. */
  maxAliases: number;
  /** Selection depth. */
  maxDepth: number;
  /** Lexical tokens per document. */
  maxTokens: number;
  /** Bracket nesting of a document (deep literals such as `[[[[…]]]]`). */
  maxNesting: number;
  /** Estimated cost: each field costs 1 times the page sizes (`first`/`last`) and list sizes above it. */
  maxCost: number;
  /** Assumed size of a list field without `first`/`last`, for the cost estimate. */
  listSizeEstimate: number;
  /** PostgreSQL statement_timeout of every connection, in ms (0 = none). */
  statementTimeoutMs: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxBodyBytes: 1_048_576,
  maxSearchLength: 200,
  maxTextLength: 5_000,
  maxNodeIds: 100,
  maxListLength: 1_000,
  maxAliases: 30,
  maxDepth: 12,
  maxTokens: 5_000,
  maxNesting: 64,
  maxCost: 100_000,
  listSizeEstimate: 10,
  statementTimeoutMs: 15_000,
};

/** Environment variable of each limit: LIMIT_MAX_BODY_BYTES, LIMIT_STATEMENT_TIMEOUT_MS… */
export function limitVariable(name: keyof Limits): string {
  return `LIMIT_${name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
}

function limitVariables() {
  const shape: Record<string, z.ZodType<number>> = {};
  for (const [name, value] of Object.entries(DEFAULT_LIMITS)) {
    const min = name === 'statementTimeoutMs' ? 0 : 1;
    shape[limitVariable(name as keyof Limits)] = z.preprocess((v) => (v === '' ? undefined : v), z.coerce.number().int().min(min).default(value)) as z.ZodType<number>;
  }
  return shape;
}


/**
 * Per-key budgets per minute. Dashboard, script and admin keys: 60,000 requests and a cost that
 * lets every one of them be a full dashboard page of 50 listings (≈ 27,000 each by the cost
 * estimate), so the cost budget never bites before the request budget for internal clients.
 * Partner keys: 600 requests and 1,000,000 cost.
 */
export const DEFAULT_RATE_LIMITS = {
  requestsPerMinute: 60_000,
  costPerMinute: 2_000_000_000,
  partnerRequestsPerMinute: 600,
  partnerCostPerMinute: 1_000_000,
} as const;

const environment = z.object({
  DATABASE_URL: z.preprocess((v) => (v === '' ? undefined : v), databaseUrl.optional()),
  PGLITE_DATA_DIR: z.string().trim().min(1).default('./.data/pglite'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SEED_DEMO_DATA: z.enum(['true', 'false', '']).default('false'),
  DATABASE_PREPARED_STATEMENTS: z.enum(['true', 'false', '']).default('true'),
  NODE_ENV: z.string().trim().default('development'),
  GRAPHIQL: z.enum(['true', 'false', '']).default(''),
  CORS_ORIGINS: z.string().trim().default(''),
  RATE_LIMIT_REQUESTS_PER_MINUTE: z.coerce.number().int().min(1).default(DEFAULT_RATE_LIMITS.requestsPerMinute),
  RATE_LIMIT_COST_PER_MINUTE: z.coerce.number().int().min(1).default(DEFAULT_RATE_LIMITS.costPerMinute),
  PARTNER_RATE_LIMIT_REQUESTS_PER_MINUTE: z.coerce.number().int().min(1).default(DEFAULT_RATE_LIMITS.partnerRequestsPerMinute),
  PARTNER_RATE_LIMIT_COST_PER_MINUTE: z.coerce.number().int().min(1).default(DEFAULT_RATE_LIMITS.partnerCostPerMinute),
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
  LOG_FORMAT: z.enum(['auto', 'json', 'pretty']).default('auto'),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
  METRICS_PORT: z
    .union([z.literal('off'), z.coerce.number().int().min(0).max(65535)])
    .default(9464),
  METRICS_HOST: z.string().trim().min(1).default('127.0.0.1'),
  REDIS_URL: z.preprocess((v) => (v === '' ? undefined : v), redisUrl.optional()),
  ...limitVariables(),
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
  | {
      kind: 'postgres';
      url: string;
      statementTimeoutMs?: number;
      /** Compiled reads as named prepared statements (default true); false behind a transaction-mode pooler that cannot keep them. */
      preparedStatements?: boolean;
    }
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
  /** Per-key requests and query cost per minute (shared through Redis when REDIS_URL is set). */
  rateLimits: RateLimitConfig;
  /** `pretty` for people (the default when stdout is a terminal), `json` lines for machines. */
  logFormat: 'json' | 'pretty';
  /** How long a stop waits for requests in flight (and drained workers) before ending them. */
  shutdownGraceMs: number;
  /** Where `/metrics` is served: its own listener, loopback by default; undefined = off. */
  metrics: { port: number; host: string } | undefined;
  /** Optional Redis (rate limits, live-update fan-out); `/ready` pings it when set. */
  redisUrl: string | undefined;
  limits: Limits;
  /** Prefix of the live-update channels (separate installations on one Redis, tests). */
  redisChannelPrefix: string;
  worker: WorkerConfig;
}

export interface RateLimitConfig {
  /** Per key and minute, for dashboard, script and admin keys. */
  requestsPerMinute: number;
  costPerMinute: number;
  /** Per key and minute, for partner keys. */
  partnerRequestsPerMinute: number;
  partnerCostPerMinute: number;
}

/**
 * NODE_ENV read as loadConfig reads it, for what is settled when a module loads, before any
 * configuration exists (the schema builder's unused-query warnings).
 */
export function isProductionEnvironment(env: NodeJS.ProcessEnv = process.env): boolean {
  return environment.shape.NODE_ENV.parse(env.NODE_ENV) === 'production';
}

/** Reads and validates the environment once; every problem is named by its variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, stdoutIsTerminal = Boolean(process.stdout.isTTY)): AppConfig {
  const parsed = environment.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid environment: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  const values = e as unknown as Record<string, number>;
  const limits = Object.fromEntries(Object.keys(DEFAULT_LIMITS).map((name) => [name, values[limitVariable(name as keyof Limits)]])) as unknown as Limits;
  const database: DatabaseConfig = e.DATABASE_URL
    ? { kind: 'postgres', url: e.DATABASE_URL, statementTimeoutMs: limits.statementTimeoutMs, preparedStatements: e.DATABASE_PREPARED_STATEMENTS !== 'false' }
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
  return {
    database,
    port: e.PORT,
    host: e.HOST,
    logLevel: e.LOG_LEVEL,
    seedDemoData,
    logFormat: e.LOG_FORMAT === 'auto' ? (stdoutIsTerminal ? 'pretty' : 'json') : e.LOG_FORMAT,
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    metrics: e.METRICS_PORT === 'off' ? undefined : { port: e.METRICS_PORT, host: e.METRICS_HOST },
    redisUrl: e.REDIS_URL,
    limits,
    graphiql,
    corsOrigins,
    rateLimits,
    redisChannelPrefix: e.REDIS_CHANNEL_PREFIX,
    worker,
  };
}
