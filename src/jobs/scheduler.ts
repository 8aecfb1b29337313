/**
 * The §6.2 cadences as cron expressions (croner, UTC): offer sync 6-hourly, Keepa daily, nightly
 * features (which chain the recommendations) at 02:00, the expiry/snooze sweep every 15 minutes.
 *
 * Every worker may run a scheduler: a slot is one GLOBAL job whose `input_json.schedule_slot`
 * (e.g. "SYNC_AMAZON_OFFER@2026-12-01T06:00:00.000Z") is unique in the database (migration 008),
 * so however many schedulers see the slot, it is enqueued once. The GLOBAL job fans out when it
 * runs. The sweep writes no job: it is idempotent, so a second sweeper finds nothing due; its
 * EXPIRED / UNSNOOZED events reach subscribers once the sweep has committed.
 */
import { Cron } from 'croner';
import type { JobType } from '../generated/prisma/enums.js';
import { sweepDueRecommendations } from '../resolvers/recommendation-transitions.js';
import { publishingAfterCommit } from '../resolvers/core/run-mutation.js';
import type { JobEnv } from './runner.js';

export interface Schedule {
  offers: string | null;
  keepa: string | null;
  nightly: string | null;
  sweep: string | null;
}

export const DEFAULT_SCHEDULE: Readonly<Schedule> = Object.freeze({
  offers: '0 */6 * * *',
  keepa: '0 3 * * *',
  nightly: '0 2 * * *',
  sweep: '*/15 * * * *',
});

const SLOT_JOBS: Record<'offers' | 'keepa' | 'nightly', { jobType: JobType; input: Record<string, unknown>; priority: number }> = {
  offers: { jobType: 'SYNC_AMAZON_OFFER', input: { asins: null }, priority: 5 },
  keepa: { jobType: 'SYNC_KEEPA_ASIN', input: {}, priority: 4 },
  nightly: { jobType: 'COMPUTE_FEATURES_LISTING', input: { all: true }, priority: 2 },
};

/** A slot older than this is not caught up on start (a stopped system does not replay a week). */
const MAX_CATCH_UP_MS = 24 * 3_600_000;

/** The most recent slot of `cron` at or before `now`, or null. */
export function latestSlot(cron: string, now: Date): Date | null {
  const job = new Cron(cron, { timezone: 'UTC', paused: true });
  const next = job.nextRun(new Date(now.getTime() - 1));
  // nextRun after (now − 1 ms) equals now when now is itself a slot.
  if (next && next.getTime() === now.getTime()) return next;
  return job.previousRuns(1, now)[0] ?? null;
}

/** Enqueues the slot job unless a scheduler already did; returns its id when this call inserted it. */
export async function enqueueSlot(env: JobEnv, name: keyof typeof SLOT_JOBS, slot: Date, now: Date): Promise<number | null> {
  const spec = SLOT_JOBS[name];
  const key = `${spec.jobType}@${slot.toISOString()}`;
  const at = now.toISOString();
  const input = JSON.stringify({ ...spec.input, schedule_slot: key });
  const rows = await env.db.prisma.$queryRaw<Array<{ id: number }>>`
    INSERT INTO jobs (job_type, scope_type, status, priority, input_json, scheduled_for, created_by, created_at, updated_at)
    VALUES (${spec.jobType}::job_type, 'GLOBAL', 'PENDING', ${spec.priority}, ${input}::jsonb, ${at}::timestamp, 'scheduler', ${at}::timestamp, ${at}::timestamp)
    ON CONFLICT ((input_json ->> 'schedule_slot')) WHERE input_json ? 'schedule_slot' DO NOTHING
    RETURNING id`;
  return rows[0] ? Number(rows[0].id) : null;
}

export class Scheduler {
  private timer: NodeJS.Timeout | null = null;
  private lastSweep: number | null = null;

  constructor(
    private readonly env: JobEnv,
    private readonly schedule: Schedule,
    private readonly tickMs = 30_000,
  ) {}

  /** One pass: every slot due now (within the catch-up window) is enqueued once; the sweep runs once per slot per process. */
  async tick(): Promise<{ enqueued: string[]; swept: boolean }> {
    const now = this.env.clock();
    const enqueued: string[] = [];
    for (const name of ['offers', 'keepa', 'nightly'] as const) {
      const cron = this.schedule[name];
      if (!cron || (name === 'keepa' && !this.env.keepa)) continue;
      const slot = latestSlot(cron, now);
      if (!slot || now.getTime() - slot.getTime() > MAX_CATCH_UP_MS) continue;
      if ((await enqueueSlot(this.env, name, slot, now)) !== null) enqueued.push(`${name}@${slot.toISOString()}`);
    }
    let swept = false;
    const sweepSlot = this.schedule.sweep ? latestSlot(this.schedule.sweep, now) : null;
    if (sweepSlot && sweepSlot.getTime() !== this.lastSweep) {
      this.lastSweep = sweepSlot.getTime();
      const sweep = () => this.env.db.prisma.$transaction((tx) => sweepDueRecommendations(tx, { now }), { maxWait: 15_000, timeout: 60_000 });
      await publishingAfterCommit(this.env.live, sweep);
      swept = true;
    }
    if (enqueued.length) this.env.logger.info({ enqueued }, 'scheduler: slots enqueued');
    return { enqueued, swept };
  }

  start(): void {
    const run = () => void this.tick().catch((error: unknown) => this.env.logger.error({ err: error }, 'scheduler tick failed'));
    run();
    this.timer = setInterval(run, this.tickMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}

/** Schedule from the environment: WORKER_SCHEDULE=off disables it; SCHEDULE_* override one cadence ("off" disables it). */
export function scheduleFromConfig(config: { enabled: boolean; overrides: Partial<Record<keyof Schedule, string>> }): Schedule | null {
  if (!config.enabled) return null;
  const pick = (name: keyof Schedule) => {
    const value = config.overrides[name];
    if (value === undefined || value === '') return DEFAULT_SCHEDULE[name];
    return value === 'off' ? null : value;
  };
  return { offers: pick('offers'), keepa: pick('keepa'), nightly: pick('nightly'), sweep: pick('sweep') };
}
