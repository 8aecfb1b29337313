/**
 * Manual job control (docs/domain-rules.md §6.1): cancel a PENDING job (a RUNNING one belongs to its worker), and
 * retry a FAILED or CANCELLED one (→ PENDING, attempts 0, due now, error cleared; log_json is kept
 * as history). A cancelled publish of an accepted recommendation records ACTION_FAILED (§5.4).
 * Live updates are published after commit (runMutation).
 */
import type { Context } from '../context.js';
import { jobTopic, recommendationTopic } from '../jobs/live-updates.js';
import type { Job } from '../generated/prisma/client.js';
import { InvalidTransitionError, NotFoundError } from '../domain/errors.js';
import { afterCommit } from './core/after-commit.js';
import { decodeId } from './global-id.js';
import { lockRows } from './core/row-locks.js';
import { queueLiveUpdate, runMutation, type MutationContext, type Tx } from './core/run-mutation.js';

export interface JobMutationInput {
  jobId: string;
  reason?: string | null;
  idempotencyKey?: string | null;
}

export interface JobMutationPayload {
  job: Job;
  replayed: boolean;
}

type Ctx = MutationContext;

async function lockJob(tx: Tx, id: number, shownId: string): Promise<Job> {
  if ((await lockRows(tx, 'jobs', [id])).length === 0) throw new NotFoundError('Job', shownId);
  return (await tx.job.findUnique({ where: { id } }))!;
}

/** ACTION_FAILED for the accepted recommendation a cancelled publish job was executing. */
async function recordCancelledAction(tx: Tx, job: Job, now: Date, reason: string | null): Promise<void> {
  const input = job.inputJson as Record<string, unknown> | null;
  const recId = typeof input?.recommendation_id === 'number' ? input.recommendation_id : null;
  if (!recId) return;
  const rec = await tx.recommendation.findUnique({ where: { id: recId }, select: { entityType: true, entityId: true } });
  if (!rec) return;
  const event = await tx.recommendationEvent.create({
    data: { recommendationId: recId, eventType: 'ACTION_FAILED', jobId: job.id, reason, createdBy: 'user', createdAt: now, detailsJson: { job_type: job.jobType, error: 'job cancelled' } },
  });
  queueLiveUpdate({ topic: recommendationTopic(rec.entityType, rec.entityId), payload: { id: event.id } });
}

async function jobMutation(ctx: Ctx, name: 'cancelJob' | 'retryJob', input: JobMutationInput): Promise<JobMutationPayload> {
  const id = decodeId(input.jobId, 'Job', 'jobId');
  const run = await runMutation(ctx, { name, idempotencyKey: input.idempotencyKey, input }, async (tx, m) => {
    const job = await lockJob(tx, id, input.jobId);
    if (name === 'cancelJob') {
      if (job.status !== 'PENDING') throw new InvalidTransitionError(job.status, 'CANCEL', `only a PENDING job can be cancelled (this one is ${job.status})`);
      await tx.job.update({ where: { id }, data: { status: 'CANCELLED', finishedAt: m.now, updatedAt: m.now, errorMessage: input.reason ?? 'cancelled' } });
      await m.checkpoint('after-first-write');
      await recordCancelledAction(tx, job, m.now, input.reason ?? null);
    } else {
      if (job.status !== 'FAILED' && job.status !== 'CANCELLED') {
        throw new InvalidTransitionError(job.status, 'RETRY', `only a FAILED or CANCELLED job can be retried (this one is ${job.status})`);
      }
      await tx.job.update({
        where: { id },
        data: { status: 'PENDING', attempts: 0, scheduledFor: m.now, startedAt: null, finishedAt: null, errorMessage: null, resultJson: undefined, updatedAt: m.now },
      });
      await m.checkpoint('after-first-write');
    }
    queueLiveUpdate({ topic: jobTopic(id), payload: { id } });
    return { jobId: id };
  });
  return afterCommit(run, async (_result, replayed) => ({ job: (await ctx.prisma.job.findUnique({ where: { id } }))!, replayed }));
}

export const cancelJob = (ctx: Ctx, input: JobMutationInput) => jobMutation(ctx, 'cancelJob', input);
export const retryJob = (ctx: Ctx, input: JobMutationInput) => jobMutation(ctx, 'retryJob', input);
