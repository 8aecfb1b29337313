import { cancelJob, retryJob, type JobMutationPayload } from '../../resolvers/jobs.js';
import { AUTHENTICATED, builder } from '../builder.js';
import { DuplicateJobError, InvalidTransitionError } from '../../domain/errors.js';
import { BASE_MUTATION_ERRORS, idempotencyKeyField, mutationResult } from '../mutation-contract.js';
import { JobRef } from '../job.js';

const JOB_ERRORS = [...BASE_MUTATION_ERRORS, InvalidTransitionError];

const JobActionInput = (name: string) =>
  builder.inputType(name, {
    fields: (t) => ({
      jobId: t.id({ required: true }),
      reason: t.string({ required: false }),
      idempotencyKey: idempotencyKeyField(t),
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
    errors: mutationResult('cancelJob', JOB_ERRORS),
    args: { input: t.arg({ type: CancelJobInput, required: true }) },
    resolve: (_root, { input }, ctx) => cancelJob(ctx, input),
  }),
  retryJob: t.field({
    authScopes: { scope: 'jobs:write' },
    type: payload('RetryJobPayload'),
    description: 'FAILED or CANCELLED → PENDING, attempts reset to 0, due now, error cleared (log_json kept).',
    errors: mutationResult('retryJob', [...JOB_ERRORS, DuplicateJobError]),
    args: { input: t.arg({ type: RetryJobInput, required: true }) },
    resolve: (_root, { input }, ctx) => retryJob(ctx, input),
  }),
}));
