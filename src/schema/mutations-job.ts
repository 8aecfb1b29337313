import { cancelJob, retryJob, type JobMutationPayload } from '../resolvers/jobs.js';
import { AUTHENTICATED, builder } from './builder.js';
import { ConflictError, DuplicateJobError, IdempotencyKeyReuseError, InvalidTransitionError, NotFoundError, ValidationError } from './errors.js';
import { JobRef } from './job.js';

const JOB_ERRORS = [NotFoundError, ValidationError, InvalidTransitionError, ConflictError, IdempotencyKeyReuseError];

const JobActionInput = (name: string) =>
  builder.inputType(name, {
    fields: (t) => ({
      jobId: t.id({ required: true }),
      reason: t.string({ required: false }),
      idempotencyKey: t.string({ required: false, description: 'Retry safety: the same key with the same input returns the first result.' }),
    }),
  });

const payload = (name: string) =>
  builder.objectRef<JobMutationPayload>(name).implement({
    authScopes: AUTHENTICATED,
    fields: (t) => ({
      job: t.field({ type: JobRef, resolve: (p) => p.job }),
      replayed: t.exposeBoolean('replayed', { description: 'True when an idempotency key returned an earlier result.' }),
    }),
  });

const CancelJobInput = JobActionInput('CancelJobInput');
const RetryJobInput = JobActionInput('RetryJobInput');

builder.mutationFields((t) => ({
  cancelJob: t.field({
    authScopes: { scope: 'jobs:write' },
    type: payload('CancelJobPayload'),
    description: 'PENDING → CANCELLED (a RUNNING job belongs to its worker). A cancelled publish of an accepted recommendation records ACTION_FAILED.',
    errors: { types: JOB_ERRORS, directResult: true, union: { name: 'CancelJobResult' } },
    args: { input: t.arg({ type: CancelJobInput, required: true }) },
    resolve: (_root, { input }, ctx) => cancelJob(ctx, input),
  }),
  retryJob: t.field({
    authScopes: { scope: 'jobs:write' },
    type: payload('RetryJobPayload'),
    description: 'FAILED or CANCELLED → PENDING, attempts reset to 0, due now, error cleared (log_json kept).',
    errors: { types: [...JOB_ERRORS, DuplicateJobError], directResult: true, union: { name: 'RetryJobResult' } },
    args: { input: t.arg({ type: RetryJobInput, required: true }) },
    resolve: (_root, { input }, ctx) => retryJob(ctx, input),
  }),
}));
