/**
 * The compiled read path: a query whose root fields are `listings` / `listing` (any selection the
 * field table of src/resolvers/read/fields.ts covers) is answered with one SQL statement per root
 * field whose JSON PostgreSQL builds, instead of graphql-js walking resolvers and Prisma loading
 * relations. Every other operation — or a selection with a field the table lacks, or one this
 * viewer may not see — runs on the resolver path, with a debug log line and
 * `graphql_compiled_read_fallbacks_total` saying why.
 *
 * Compiling is cached per parsed document (yoga reuses the DocumentNode of a repeated query text),
 * operation, variables and viewer scopes; a request then only binds its clock and settings.
 */
import type { Plugin } from 'graphql-yoga';
import { locatedError, type DocumentNode, type ExecutionArgs, type ExecutionResult, type GraphQLError, type GraphQLSchema } from 'graphql';
import { Counter, type Registry } from 'prom-client';
import type { Logger } from 'pino';
import type { Context } from '../context.js';
import type { Viewer } from '../auth/viewer.js';
import { compileOperation, type CompiledOperation } from '../resolvers/read/compile-operation.js';
import { NotCompilable } from '../resolvers/read/compile-selection.js';
import { MIN_MARGIN, NOW, type Runtime } from '../resolvers/read/fields.js';
import { requestSettings, settingsFromRows } from '../resolvers/settings.js';

export interface CompiledReadsOptions {
  schema: GraphQLSchema;
  /** Runs a compiled statement (src/db/client.ts `readRows`: prepared once per connection on PostgreSQL). */
  readRows: ReadRows;
  defaultPageSize: number;
  logger: Logger;
  registry?: Registry;
}

type Entry = CompiledOperation | { reason: string };
type ReadRows = <T>(text: string, values: unknown[]) => Promise<T[]>;

/** Cached plans per document; variables vary per request, so each document keeps a bounded few. */
const MAX_PLANS_PER_DOCUMENT = 64;

/** How many operations each path answered (tests and the benchmark read these). */
export const compiledReadStats = { compiled: 0, fallbacks: 0, plansCompiled: 0, lastFallbackReason: '' };

function viewerKey(viewer: Viewer): string {
  return `${[...viewer.scopes].sort().join(',')}|${viewer.marketplaceIds?.join(',') ?? '*'}`;
}

export function compiledReads(options: CompiledReadsOptions): Plugin {
  const plans = new WeakMap<DocumentNode, Map<string, Entry>>();
  const fallbacks = options.registry
    ? new Counter({
        name: 'graphql_compiled_read_fallbacks_total',
        help: 'Queries answered on the resolver path because the compiled read path could not take them',
        labelNames: ['operation_name'],
        registers: [options.registry],
      })
    : null;

  const planOf = (args: ExecutionArgs, viewer: Viewer): Entry => {
    let perDocument = plans.get(args.document);
    if (!perDocument) plans.set(args.document, (perDocument = new Map()));
    const key = `${args.operationName ?? ''}\u0000${JSON.stringify(args.variableValues ?? {})}\u0000${viewerKey(viewer)}`;
    let entry = perDocument.get(key);
    if (!entry) {
      try {
        compiledReadStats.plansCompiled += 1;
        entry = compileOperation({
          schema: options.schema,
          document: args.document,
          operationName: args.operationName,
          variables: (args.variableValues ?? {}) as Record<string, unknown>,
          viewer,
          defaultPageSize: options.defaultPageSize,
        });
      } catch (error) {
        if (!(error instanceof NotCompilable)) throw error;
        entry = { reason: error.message };
      }
      if (perDocument.size >= MAX_PLANS_PER_DOCUMENT) perDocument.clear();
      perDocument.set(key, entry);
    }
    return entry;
  };

  return {
    onExecute({ args, setExecuteFn }) {
      const ctx = args.contextValue as unknown as Context;
      if (!ctx?.viewer || !ctx.prisma) return;
      const entry = planOf(args, ctx.viewer);
      if ('reason' in entry) {
        compiledReadStats.fallbacks += 1;
        compiledReadStats.lastFallbackReason = entry.reason;
        fallbacks?.inc({ operation_name: args.operationName ?? 'anonymous' });
        ctx.logger.debug({ operationName: args.operationName, reason: entry.reason }, 'compiled read path not taken');
        return;
      }
      compiledReadStats.compiled += 1;
      setExecuteFn(() => runCompiled(entry, ctx, options.readRows));
    },
  };
}

/**
 * A failure (lost connection, statement timeout…) becomes a located error at its root field, as a
 * resolver's would, so error handling (src/graphql/error-handling.ts) maps it the same way.
 */
async function runCompiled(plan: CompiledOperation, ctx: Context, readRows: ReadRows): Promise<ExecutionResult> {
  const data: Record<string, unknown> = {};
  const errors: GraphQLError[] = [];
  let settings: Runtime['settings'] | undefined;
  const inline = plan.roots.some((r) => r.settingsInline);
  for (const root of plan.roots) {
    try {
      if (plan.needsSettings && !inline) settings ??= await requestSettings(ctx);
      if (root.sql === null) {
        data[root.key] = root.build(null, { now: ctx.now, settings: settings as Runtime['settings'] });
        continue;
      }
      const values = root.params.map((v) => (v === NOW ? ctx.now.toISOString() : v === MIN_MARGIN ? settings!.minMargin.toString() : v));
      const rows = await readRows<{ j: string | null; s?: string | null }>(root.sql, values);
      if (root.settingsInline) settings = settingsFromRows(JSON.parse(rows[0]?.s ?? '[]').map(([key, value]: [string, unknown]) => ({ key, value })));
      const text = rows[0]?.j ?? null;
      data[root.key] = root.build(text === null ? null : JSON.parse(text), { now: ctx.now, settings: settings as Runtime['settings'] });
    } catch (error) {
      errors.push(locatedError(error, root.nodes ?? [], [root.key]));
      if (root.nonNull) return { data: null, errors };
      data[root.key] = null;
    }
  }
  return errors.length ? { data, errors } : { data };
}
