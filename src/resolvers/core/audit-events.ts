/** The listing audit log (listing_events) as the mutations and job handlers write it. */
import type { ListingEvent, Prisma } from '../../generated/prisma/client.js';
import type { ListingEventType } from '../../generated/prisma/enums.js';
import { listingTopic } from '../../jobs/live-updates.js';
import type { Tx } from './idempotency.js';
import { queueLiveUpdate } from './run-mutation.js';

export interface ListingEventInput {
  listingId: number;
  eventType: ListingEventType;
  jobId?: number | null;
  before: Prisma.InputJsonValue | null;
  after: Prisma.InputJsonValue | null;
  reason?: string | null;
  correlationId?: string | null;
  /** 'worker', 'system', or the calling key (`key:<name>`, MutationTools.actor). */
  createdBy?: string;
  now: Date;
}

/** Appends a listing_events row (docs/domain-rules.md §7) on the transaction. */
export async function recordListingEvent(tx: Tx, event: ListingEventInput): Promise<ListingEvent> {
  const row = await tx.listingEvent.create({
    data: {
      listingId: event.listingId,
      eventType: event.eventType,
      jobId: event.jobId ?? null,
      beforeJson: event.before ?? undefined,
      afterJson: event.after ?? undefined,
      reason: event.reason ?? null,
      correlationId: event.correlationId ?? null,
      createdBy: event.createdBy ?? 'user',
      createdAt: event.now,
    },
  });
  queueLiveUpdate({ topic: listingTopic(event.listingId), payload: { id: row.id } });
  return row;
}

