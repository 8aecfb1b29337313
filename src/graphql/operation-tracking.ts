import { getOperationAST, type GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { countStatementsOf, type StatementTally } from '../db/statement-counter.js';
import { requestIdOf } from './request-id.js';

/** What one GraphQL request did, handed to the operation log and the metrics when it is answered. */
export interface OperationSummary {
  /** The operation's name; 'anonymous' when it has none. Client-chosen: bound it before using it as a label. */
  operationName: string;
  operationType: 'query' | 'mutation' | 'subscription' | 'unknown';
  /** ok: no errors; error: executed with errors; rejected: never executed (malformed, invalid, over a limit). */
  outcome: 'ok' | 'error' | 'rejected';
  durationMs: number;
  /** SQL statements Prisma sent while the request ran. */
  statements: number;
  /** `extensions.code` of each GraphQL error, in order (typed mutation errors are data, not errors). */
  errorCodes: string[];
  httpStatus: number;
  requestId: string | undefined;
  /** The API key (its public id) that made the request, once access control exists. */
  caller: string | null;
}

export type OperationListener = (summary: OperationSummary) => void;

interface RequestState extends StatementTally {
  startedAt: number;
  graphql: boolean;
  operationName?: string | undefined;
  operationType?: OperationSummary['operationType'];
  errorCodes: string[];
  executed: boolean;
  caller: string | null;
  requestId?: string | undefined;
}

export interface OperationTrackingOptions {
  listeners: OperationListener[];
  /** Who is calling, from the request's context (the API key's id once keys exist). */
  callerOf?: (context: Record<string, unknown>) => string | null | undefined;
}

/**
 * Follows each GraphQL request from arrival to answer and tells the listeners once per request.
 * Nothing about variables is kept: their values never reach a log or a label.
 */
export function operationTracking({ listeners, callerOf }: OperationTrackingOptions): Plugin {
  const states = new WeakMap<Request, RequestState>();
  return {
    instrumentation: {
      request({ request }, wrapped) {
        const state: RequestState = { startedAt: performance.now(), statements: 0, graphql: false, errorCodes: [], executed: false, caller: null };
        states.set(request, state);
        return countStatementsOf(state, wrapped);
      },
    },
    onRequestParse({ request }) {
      const state = states.get(request);
      if (state) state.graphql = true;
    },
    onParams({ request, params }) {
      const state = states.get(request);
      if (state) state.operationName = typeof params.operationName === 'string' ? params.operationName : undefined;
    },
    onParse() {
      return ({ result, context }) => {
        const state = states.get(context.request);
        if (!state || result instanceof Error) return;
        const operation = getOperationAST(result, context.params.operationName);
        if (!operation) return;
        state.operationName = operation.name?.value ?? state.operationName;
        state.operationType = operation.operation;
      };
    },
    onExecute({ args }) {
      const state = states.get((args.contextValue as { request: Request }).request);
      if (state) state.executed = true;
    },
    onExecutionResult({ request, result, context }) {
      const state = states.get(request);
      if (!state) return;
      if (result && !(Symbol.asyncIterator in result)) {
        for (const error of result.errors ?? []) state.errorCodes.push(codeOf(error));
      }
      state.caller = callerOf?.(context as unknown as Record<string, unknown>) ?? null;
      const requestId = (context as { requestId?: unknown }).requestId;
      if (typeof requestId === 'string') state.requestId = requestId;
    },
    onResponse({ request, response }) {
      const state = states.get(request);
      if (!state?.graphql) return;
      const summary = summarize(state, request, response.status);
      for (const listener of listeners) listener(summary);
    },
  };
}

function summarize(state: RequestState, request: Request, httpStatus: number): OperationSummary {
  const requestId = state.requestId ?? requestIdOf(request);
  return {
    // Client-chosen: kept short (the log), bounded again before it becomes a metric label.
    operationName: (state.operationName || 'anonymous').slice(0, 100),
    operationType: state.operationType ?? 'unknown',
    outcome: outcomeOf(state, httpStatus),
    durationMs: Math.round((performance.now() - state.startedAt) * 10) / 10,
    statements: state.statements,
    errorCodes: state.errorCodes,
    httpStatus,
    requestId,
    caller: state.caller,
  };
}

function outcomeOf(state: RequestState, httpStatus: number): OperationSummary['outcome'] {
  const failed = state.errorCodes.length > 0;
  if (state.executed) return failed ? 'error' : 'ok';
  // Never executed: refused before execution, unless a plugin answered it (a cached result).
  return failed || httpStatus >= 400 ? 'rejected' : 'ok';
}

function codeOf(error: GraphQLError): string {
  const code = error.extensions?.code;
  return typeof code === 'string' && code ? code : 'UNCODED';
}
