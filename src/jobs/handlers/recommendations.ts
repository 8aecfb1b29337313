/**
 * GENERATE_RECOMMENDATIONS_LISTING / _ASIN: the §5.3 generation run in one transaction — per-entity
 * advisory try-lock (busy → skipped), features computed first if there are none, (1) due PENDING →
 * EXPIRED, (2) due SNOOZED → PENDING, (3) remaining PENDING → SUPERSEDED with events, (4) the skip
 * rules, then the §5.1 rules (src/domain/recommendation-rules.ts) as PENDING rows + GENERATED events.
 */
import type { Candidate, RecommendationType } from '../../domain/recommendation-rules.js';
import { PUBLISH_JOB_OF_TYPE, evaluateAsinRules, evaluateListingRules } from '../../domain/recommendation-rules.js';
import { expiresAtFor } from '../../domain/recommendation-lifecycle.js';
import type { Prisma, RecommendationEvent } from '../../generated/prisma/client.js';
import { loadPricingState } from '../../resolvers/read/pricing-state.js';
import { expireRecommendation, supersedeRecommendation, unsnoozeRecommendation } from '../../resolvers/recommendation-transitions.js';
import type { Tx } from '../../resolvers/core/run-mutation.js';
import { recommendationTopic } from '../live-updates.js';
import { JobError } from '../queue.js';
import type { Emit, JobHandler, JobRun } from '../runner.js';
import { computeListingFeaturesWithEvent, storeAsinFeatures } from './features.js';

type EntityType = 'LISTING' | 'ASIN';
const DAY_MS = 86_400_000;
const REJECTION_MEMORY_DAYS = 7;

export interface GenerationResult {
  [key: string]: unknown;
  skipped?: string;
  expired: number;
  unsnoozed: number;
  superseded: number;
  generated: number;
  skipped_types: string[];
}

async function tryEntityLock(tx: Tx, entityType: EntityType, entityId: number): Promise<boolean> {
  const scope = `recommendations:${entityType}`;
  const rows = await tx.$queryRaw<Array<{ locked: boolean }>>`SELECT pg_try_advisory_xact_lock(hashtext(${scope}), ${entityId}) AS locked`;
  return rows[0]?.locked === true;
}

async function latestFeatureRow(tx: Tx, entityType: EntityType, entityId: number) {
  const rows = await tx.featureSnapshot.findMany({ where: { entityType, entityId }, orderBy: [{ computedAt: 'desc' }, { id: 'desc' }], take: 2, select: { featuresJson: true } });
  return rows.map((r) => r.featuresJson as Record<string, unknown>);
}

/** Steps (1)–(3): returns the counts and the types still SNOOZED afterwards. */
async function retireCurrent(tx: Tx, run: JobRun, entityType: EntityType, entityId: number, emitEvent: (e: RecommendationEvent | null) => void) {
  const open = await tx.recommendation.findMany({ where: { entityType, entityId, status: { in: ['PENDING', 'SNOOZED'] } }, orderBy: { id: 'asc' } });
  const counts = { expired: 0, unsnoozed: 0, superseded: 0 };
  const snoozedTypes = new Set<string>();
  const now = run.now;
  for (const rec of open) {
    if (rec.status === 'PENDING' && rec.expiresAt && rec.expiresAt <= now) {
      const outcome = await expireRecommendation(tx, rec.id, { now, jobId: run.job.id });
      if (outcome.applied) counts.expired++, emitEvent(outcome.event);
      continue;
    }
    let status = rec.status;
    if (status === 'SNOOZED' && (rec.snoozedUntil === null || rec.snoozedUntil <= now)) {
      const outcome = await unsnoozeRecommendation(tx, rec.id, { now });
      if (outcome.applied) counts.unsnoozed++, (status = 'PENDING');
    }
    if (status === 'SNOOZED') {
      snoozedTypes.add(rec.recommendationType);
      continue;
    }
    const outcome = await supersedeRecommendation(tx, rec.id, { now, jobId: run.job.id });
    if (outcome.applied) counts.superseded++, emitEvent(outcome.event);
  }
  return { counts, snoozedTypes };
}

/** Step (4): types not to generate now. */
async function skippedTypes(tx: Tx, run: JobRun, entityType: EntityType, entityId: number, snoozed: Set<string>): Promise<Set<string>> {
  const skip = new Set(snoozed);
  const rejected = await tx.recommendation.findMany({
    where: { entityType, entityId, status: 'REJECTED', rejectedAt: { gte: new Date(run.now.getTime() - REJECTION_MEMORY_DAYS * DAY_MS) } },
    select: { recommendationType: true },
  });
  for (const r of rejected) skip.add(r.recommendationType);
  if (entityType === 'LISTING') {
    const queued = await tx.job.findMany({
      where: { listingId: entityId, jobType: { in: ['PUBLISH_PRICE_CHANGE', 'PUBLISH_STOCK_CHANGE'] }, status: { in: ['PENDING', 'RUNNING'] } },
      select: { jobType: true },
    });
    const busy = new Set(queued.map((j) => j.jobType as string));
    for (const [type, jobType] of Object.entries(PUBLISH_JOB_OF_TYPE)) if (busy.has(jobType)) skip.add(type);
  }
  return skip;
}

async function insertCandidates(tx: Tx, run: JobRun, entityType: EntityType, entityId: number, candidates: Candidate[], emitEvent: (e: RecommendationEvent) => void) {
  for (const c of candidates) {
    const rec = await tx.recommendation.create({
      data: {
        recommendationType: c.type,
        entityType,
        entityId,
        status: 'PENDING',
        actionPayloadJson: c.actionPayload as Prisma.InputJsonObject,
        evidenceJson: c.evidence as Prisma.InputJsonObject,
        guardrailsJson: (c.guardrails ?? undefined) as Prisma.InputJsonObject | undefined,
        impactJson: c.impact as Prisma.InputJsonObject,
        confidence: c.confidence,
        confidenceScore: c.confidenceScore,
        generatedAt: run.now,
        expiresAt: expiresAtFor(run.now),
        generationJobId: run.job.id,
        createdAt: run.now,
        updatedAt: run.now,
      },
      select: { id: true },
    });
    emitEvent(
      await tx.recommendationEvent.create({
        data: { recommendationId: rec.id, eventType: 'GENERATED', jobId: run.job.id, createdBy: 'worker', createdAt: run.now, detailsJson: { recommendation_type: c.type } },
      }),
    );
  }
}

async function candidatesFor(tx: Tx, run: JobRun, entityType: EntityType, entityId: number, emit: Emit): Promise<Candidate[]> {
  let [latest, previous] = await latestFeatureRow(tx, entityType, entityId);
  if (!latest) {
    latest =
      entityType === 'LISTING'
        ? (await computeListingFeaturesWithEvent(tx, entityId, run.job.id, run.now, emit)).features
        : (await storeAsinFeatures(tx, entityId, run.now))?.features;
    if (!latest) throw new JobError('NOT_FOUND', `${entityType} ${entityId} does not exist`, false);
  }
  if (entityType === 'ASIN') return evaluateAsinRules(latest);
  const state = await loadPricingState(tx, entityId, run.now);
  if (!state) throw new JobError('NOT_FOUND', `listing ${entityId} does not exist`, false);
  if (state.listing.status === 'archived') return [];
  return evaluateListingRules({
    features: latest,
    economics: state.economicsBefore,
    currentPriceIncVat: state.currentPriceIncVat,
    referencePriceIncVat: state.referencePriceIncVat,
    daysOfCover: state.daysOfCover,
    currentQuantity: state.currentQuantity,
    settings: state.settings,
    previousFeatures: previous ?? null,
  });
}

/** The §5.3 run on an open transaction. */
export async function generateRecommendations(tx: Tx, run: JobRun, entityType: EntityType, entityId: number, emit: Emit): Promise<GenerationResult> {
  const empty = { expired: 0, unsnoozed: 0, superseded: 0, generated: 0, skipped_types: [] };
  if (!(await tryEntityLock(tx, entityType, entityId))) return { ...empty, skipped: 'another generation run holds this entity' };
  const emitEvent = (event: RecommendationEvent | null) => {
    if (event) emit({ topic: recommendationTopic(entityType, entityId), payload: { id: event.id } });
  };
  const { counts, snoozedTypes } = await retireCurrent(tx, run, entityType, entityId, emitEvent);
  const skip = await skippedTypes(tx, run, entityType, entityId, snoozedTypes);
  const all = await candidatesFor(tx, run, entityType, entityId, emit);
  const kept = all.filter((c) => !skip.has(c.type));
  await insertCandidates(tx, run, entityType, entityId, kept, emitEvent);
  return { ...counts, generated: kept.length, skipped_types: [...skip].sort() as RecommendationType[] };
}

function generationHandler(entityType: EntityType): JobHandler {
  return {
    async run(run) {
      const entityId = entityType === 'LISTING' ? run.job.listingId : run.job.asinEntityId;
      if (entityId === null) throw new JobError('INVALID_INPUT', `GENERATE_RECOMMENDATIONS_${entityType} needs an entity id`, false);
      await run.finish((tx, emit) => generateRecommendations(tx, run, entityType, entityId, emit));
    },
  };
}

export const generateListingRecommendationsHandler = generationHandler('LISTING');
export const generateAsinRecommendationsHandler = generationHandler('ASIN');
