import type { Logger } from 'pino';
import type { OperationListener } from './operation-tracking.js';

/**
 * One structured line per GraphQL request: what ran, how long it took, how it ended, how many SQL
 * statements it cost. Failures log at warn so a quiet log level still shows them. Variables are
 * never logged (their values may be prices, SKUs or secrets).
 */
export function operationLog(logger: Logger): OperationListener {
  const log = logger.child({ component: 'graphql' });
  return (summary) => {
    const line = {
      operation: summary.operationName,
      type: summary.operationType,
      outcome: summary.outcome,
      durationMs: summary.durationMs,
      statements: summary.statements,
      status: summary.httpStatus,
      ...(summary.errorCodes.length ? { errors: summary.errorCodes } : {}),
      requestId: summary.requestId ?? null,
      caller: summary.caller,
    };
    if (summary.outcome === 'ok') log.info(line, 'graphql operation');
    else log.warn(line, 'graphql operation');
  };
}
