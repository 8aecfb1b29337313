import { isConnectionUnavailable } from '../../db/faults.js';
import { CommittedResultUnavailableError } from '../../domain/errors.js';
import { backoffMs, sleep } from './backoff.js';
import type { MutationResult, MutationRun } from './run-mutation.js';

const PAYLOAD_READ_ATTEMPTS = 3;

/**
 * Loads a committed mutation's payload (the objects its result references). A lost connection
 * here must not report the committed change as failed: the read is retried on a fresh connection,
 * and if it still fails the caller gets CommittedResultUnavailableError (the change is applied;
 * how to read it).
 */
export async function afterCommit<R extends MutationResult, P>(
  run: Pick<MutationRun<R>, 'result' | 'replayed' | 'operation' | 'idempotencyKey'>,
  load: (result: R, replayed: boolean) => Promise<P>,
): Promise<P> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await load(run.result, run.replayed);
    } catch (error) {
      if (!isConnectionUnavailable(error)) throw error;
      if (attempt >= PAYLOAD_READ_ATTEMPTS) throw new CommittedResultUnavailableError(run.operation, run.idempotencyKey, run.result, error);
      await sleep(backoffMs(attempt + 2));
    }
  }
}
