import { usePrometheus } from '@graphql-yoga/plugin-prometheus';
import type { Plugin } from 'graphql-yoga';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Database } from '../db/client.js';
import { PostgresDriver } from '../db/sql.js';
import { withTimeout } from '../time-limit.js';
import type { OperationListener } from './operation-tracking.js';

/**
 * The service's Prometheus metrics, one registry per app (tests build many apps in one process):
 * - yoga's Prometheus plugin: HTTP duration by status, parse/validate/execute phase timings,
 *   deprecated fields in use (labelled by operation type only: operation names are client-chosen);
 * - ours: operations and their duration by (bounded) operation name and outcome, GraphQL errors by
 *   code, SQL statements per operation, the PostgreSQL pool, the job queue by type and status;
 * - prom-client's defaults: memory, CPU, event-loop lag, GC, handles.
 */
export interface Metrics {
  registry: Registry;
  /** The yoga plugin; goes in the app's plugin list. */
  plugin: Plugin;
  /** Records one operation; goes in the operation tracker's listeners. */
  recordOperation: OperationListener;
}

const DURATION_BUCKETS: [number, ...number[]] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const STATEMENT_BUCKETS = [0, 1, 2, 5, 10, 20, 30, 50, 100, 200];
/** Distinct operation names kept as label values; later newcomers are counted as "other". */
const MAX_OPERATION_NAMES = 200;
const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]{0,99}$/;
const SCRAPE_QUERY_TIMEOUT_MS = 2_000;

export function createMetrics({ db }: { db: Database }): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const recordOperation = operationMetrics(registry);
  if (db.driver instanceof PostgresDriver) poolMetrics(registry, db.driver);
  jobQueueMetrics(registry, db);
  const plugin = usePrometheus({
    registry,
    endpoint: false, // served on the metrics listener, never on the public port
    labels: { operationName: false, url: false },
    metrics: {
      graphql_yoga_http_duration: DURATION_BUCKETS,
      graphql_envelop_phase_parse: true,
      graphql_envelop_phase_validate: true,
      graphql_envelop_phase_execute: DURATION_BUCKETS,
      graphql_envelop_deprecated_field: true,
      // Ours below carry the outcome and a bounded operation name instead.
      graphql_envelop_request: false,
      graphql_envelop_request_duration: false,
      graphql_envelop_request_time_summary: false,
      graphql_envelop_error_result: false,
      graphql_envelop_phase_context: false,
      graphql_envelop_phase_subscribe: false,
      graphql_envelop_schema_change: false,
    },
  });
  return { registry, plugin, recordOperation };
}

function operationMetrics(registry: Registry): OperationListener {
  const labelNames = ['operation_name', 'operation_type', 'outcome'] as const;
  const operations = new Counter({ name: 'graphql_operations_total', help: 'GraphQL requests answered, by operation and outcome (ok, error, rejected)', labelNames, registers: [registry] });
  const duration = new Histogram({
    name: 'graphql_operation_duration_seconds',
    help: 'Time from request arrival to answer, by operation and outcome',
    labelNames,
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const errors = new Counter({ name: 'graphql_errors_total', help: 'GraphQL errors in answers, by extensions.code', labelNames: ['operation_name', 'code'], registers: [registry] });
  const statements = new Histogram({
    name: 'graphql_operation_sql_statements',
    help: 'SQL statements sent while answering one GraphQL request',
    labelNames: ['operation_name', 'operation_type'],
    buckets: STATEMENT_BUCKETS,
    registers: [registry],
  });
  const names = new Set<string>();
  const bounded = (name: string) => {
    if (names.has(name)) return name;
    if (!GRAPHQL_NAME.test(name) || names.size >= MAX_OPERATION_NAMES) return 'other';
    names.add(name);
    return name;
  };
  return (summary) => {
    const operation_name = bounded(summary.operationName);
    const labels = { operation_name, operation_type: summary.operationType, outcome: summary.outcome };
    operations.inc(labels);
    duration.observe(labels, summary.durationMs / 1000);
    statements.observe({ operation_name, operation_type: summary.operationType }, summary.statements);
    for (const code of summary.errorCodes) errors.inc({ operation_name, code });
  };
}

/** Read at scrape time from pg's pool: connections checked out, idle, and requests waiting for one. */
function poolMetrics(registry: Registry, driver: PostgresDriver): void {
  const pool = driver.pool;
  new Gauge({
    name: 'db_pool_connections',
    help: 'PostgreSQL pool connections by state (in_use, idle)',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      this.set({ state: 'in_use' }, pool.totalCount - pool.idleCount);
      this.set({ state: 'idle' }, pool.idleCount);
    },
  });
  new Gauge({
    name: 'db_pool_waiting',
    help: 'Requests waiting for a PostgreSQL pool connection',
    registers: [registry],
    collect() {
      this.set(pool.waitingCount);
    },
  });
  new Gauge({
    name: 'db_pool_max',
    help: 'Size limit of the PostgreSQL pool',
    registers: [registry],
    collect() {
      this.set(pool.options.max ?? 10);
    },
  });
}

/**
 * Counted from the jobs table at scrape time: the queue is the table (docs/domain-rules.md §6.1). When the
 * count fails (database down) the series are absent from that scrape rather than stale.
 */
function jobQueueMetrics(registry: Registry, db: Database): void {
  new Gauge({
    name: 'jobs_queue_depth',
    help: 'Jobs by type and status (from the jobs table at scrape time)',
    labelNames: ['job_type', 'status'],
    registers: [registry],
    async collect() {
      this.reset();
      try {
        const rows = await withTimeout(
          db.driver.withSession((session) =>
            session.query<{ job_type: string; status: string; n: number }>(
              'SELECT job_type::text AS job_type, status::text AS status, count(*)::int AS n FROM jobs GROUP BY 1, 2',
            ),
          ),
          SCRAPE_QUERY_TIMEOUT_MS,
        );
        for (const row of rows.rows) this.set({ job_type: row.job_type, status: row.status }, row.n);
      } catch {
        // absent this scrape; /ready says why
      }
    },
  });
}
