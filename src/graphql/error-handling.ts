import { GraphQLError, getOperationAST, type ExecutionResult } from 'graphql';
import type { Plugin, YogaLogger } from 'graphql-yoga';
import type { Logger } from 'pino';
import type { Context } from '../context.js';
import { isConnectionUnavailable, isStatementTimeout, isUnstorableText } from '../db/faults.js';
import { CommittedResultUnavailableError } from '../domain/errors.js';

/**
 * Turns the failures a client can act on into clean errors with a code (a lost database
 * connection, a statement timeout, a committed mutation whose result could not be read, text the
 * database cannot store), and logs every other error exactly once — with the request id and the
 * operation name — before yoga masks it as "Unexpected error.".
 *
 * Yoga itself logs each masked error (once or twice, through `logging.error`); the `logged` set
 * makes the yoga logger skip errors this plugin already logged with their context.
 */
export function errorHandling(logger: Logger, statementTimeoutMs: number): { plugin: Plugin<Context>; logging: YogaLogger } {
  const logged = new WeakSet<object>();
  const markLogged = (error: unknown) => {
    if (error && typeof error === 'object') logged.add(error);
  };
  const plugin: Plugin<Context> = {
    onExecute({ args }) {
      const operation = getOperationAST(args.document, args.operationName);
      const ctx = args.contextValue;
      const facts = { requestId: ctx.requestId, operationName: operation?.name?.value ?? null, operationType: operation?.operation ?? null };
      return {
        onExecuteDone({ result, setResult }) {
          if (!('errors' in result) || !result.errors?.length) return;
          const errors = result.errors.map((error) => {
            const clean = cleanError(error, facts.operationType === 'mutation', statementTimeoutMs);
            if (clean) {
              if (clean.extensions.code !== 'BAD_USER_INPUT') logger.warn({ ...facts, path: error.path, code: clean.extensions.code, err: error.originalError ?? error }, clean.message);
              return clean;
            }
            if (error.originalError && !(error.originalError instanceof GraphQLError)) {
              logger.error({ ...facts, path: error.path, err: error.originalError }, 'unexpected error while resolving a request');
              markLogged(error);
              markLogged(error.originalError);
            }
            return error;
          });
          setResult({ ...(result as ExecutionResult), errors });
        },
      };
    },
  };
  const logging: YogaLogger = {
    debug: (...args) => logger.debug(args.map(String).join(' ')),
    info: (...args) => logger.info(args.map(String).join(' ')),
    warn: (...args) => logger.warn(args.map(String).join(' ')),
    error: (...args) => {
      const first = args[0];
      if (args.length === 1 && first && typeof first === 'object') {
        if (logged.has(first)) return;
        markLogged(first);
      }
      logger.error({ err: args.length === 1 ? first : args }, 'graphql error');
    },
  };
  return { plugin, logging };
}

/** A clean, coded error for a failure the client can act on; null when it is a real bug. */
export function cleanError(error: GraphQLError, inMutation: boolean, statementTimeoutMs: number): GraphQLError | null {
  const original = error.originalError;
  if (!original || original instanceof GraphQLError) return null;
  const at = { nodes: error.nodes, path: error.path };
  if (original instanceof CommittedResultUnavailableError) {
    return committedError(at, original.message, { operation: original.operation, idempotencyKey: original.idempotencyKey, result: original.result });
  }
  if (isConnectionUnavailable(original)) {
    // Under a mutation's payload the mutation itself already returned: its change is committed.
    if (inMutation && (error.path?.length ?? 0) > 1) {
      const field = String(error.path![0]);
      return committedError(at, `${field} was committed, but part of its result could not be read (no database connection); repeat the call with the same idempotencyKey, or read the object by its id`, { operation: field });
    }
    return new GraphQLError('No database connection was available for this field (lost, or none free in time); nothing is wrong with the request: retry it.', {
      ...at,
      extensions: { code: 'DATABASE_UNAVAILABLE', retryable: true },
    });
  }
  if (isStatementTimeout(original)) {
    return new GraphQLError(`A database statement ran longer than the statement timeout (${statementTimeoutMs} ms); narrow the request.`, {
      ...at,
      extensions: { code: 'STATEMENT_TIMEOUT', limit: 'statementTimeoutMs', max: statementTimeoutMs },
    });
  }
  if (isUnstorableText(original)) {
    return new GraphQLError('An argument contains a character the database cannot handle (NUL).', { ...at, extensions: { code: 'BAD_USER_INPUT' } });
  }
  return null;
}

function committedError(at: Pick<GraphQLError, 'nodes' | 'path'>, message: string, details: Record<string, unknown>): GraphQLError {
  return new GraphQLError(message, { ...at, extensions: { code: 'COMMITTED_RESULT_UNAVAILABLE', committed: true, retryable: true, ...details } });
}
