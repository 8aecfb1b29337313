/**
 * Recommendation lifecycle (docs/domain-rules.md §5.4) as data plus pure planning functions. The caller
 * persists what a plan says (status columns + one recommendation_events row) in one transaction.
 */

export const RECOMMENDATION_STATUSES = ['PENDING', 'ACCEPTED', 'REJECTED', 'SNOOZED', 'EXPIRED', 'SUPERSEDED'] as const;
export type RecommendationStatus = (typeof RECOMMENDATION_STATUSES)[number];

export const RECOMMENDATION_EVENT_TYPES = [
  'GENERATED',
  'VIEWED',
  'ACCEPTED',
  'REJECTED',
  'SNOOZED',
  'EXPIRED',
  'SUPERSEDED',
  'ACTION_STARTED',
  'ACTION_COMPLETED',
  'ACTION_FAILED',
] as const;
export type RecommendationEventType = (typeof RECOMMENDATION_EVENT_TYPES)[number];

export const USER_ACTIONS = ['VIEW', 'ACCEPT', 'REJECT', 'SNOOZE'] as const;
export const SYSTEM_ACTIONS = ['EXPIRE', 'SUPERSEDE', 'UNSNOOZE'] as const;
export type UserAction = (typeof USER_ACTIONS)[number];
export type SystemAction = (typeof SYSTEM_ACTIONS)[number];
export type LifecycleAction = UserAction | SystemAction;

const DAY_MS = 86_400_000;
/** `expires_at = generated_at + 7 d` (§5.1); also the grace after a snooze ends. */
export const RECOMMENDATION_TTL_DAYS = 7;
export const MAX_SNOOZE_DAYS = 365;

export interface Transition {
  from: RecommendationStatus;
  action: LifecycleAction;
  to: RecommendationStatus;
  /** No UNSNOOZED value exists in the enum, so waking a rec writes no event. */
  eventType: RecommendationEventType | null;
}

/**
 * Every allowed transition; anything else is INVALID_TRANSITION. A SNOOZED rec accepts no user
 * action until it wakes (the table lists user actions from PENDING only).
 */
export const TRANSITIONS: readonly Transition[] = [
  { from: 'PENDING', action: 'VIEW', to: 'PENDING', eventType: 'VIEWED' },
  { from: 'PENDING', action: 'ACCEPT', to: 'ACCEPTED', eventType: 'ACCEPTED' },
  { from: 'PENDING', action: 'REJECT', to: 'REJECTED', eventType: 'REJECTED' },
  { from: 'PENDING', action: 'SNOOZE', to: 'SNOOZED', eventType: 'SNOOZED' },
  { from: 'PENDING', action: 'EXPIRE', to: 'EXPIRED', eventType: 'EXPIRED' },
  { from: 'PENDING', action: 'SUPERSEDE', to: 'SUPERSEDED', eventType: 'SUPERSEDED' },
  { from: 'SNOOZED', action: 'UNSNOOZE', to: 'PENDING', eventType: null },
];

export function findTransition(from: RecommendationStatus, action: LifecycleAction): Transition | null {
  return TRANSITIONS.find((t) => t.from === from && t.action === action) ?? null;
}

export interface RecommendationState {
  status: RecommendationStatus | string;
  expiresAt: Date | null;
  snoozedUntil: Date | null;
}

export function expiresAtFor(generatedAt: Date): Date {
  return new Date(generatedAt.getTime() + RECOMMENDATION_TTL_DAYS * DAY_MS);
}

function isDue(at: Date | null, now: Date): boolean {
  return at !== null && at.getTime() <= now.getTime();
}

/** A SNOOZED rec without a wake-up time cannot stay asleep forever: treat it as due. */
function isSnoozeOver(rec: RecommendationState, now: Date): boolean {
  return rec.status === 'SNOOZED' && (rec.snoozedUntil === null || isDue(rec.snoozedUntil, now));
}

/**
 * The status a rec has at `now`, applying the lazy rules: a SNOOZED rec whose time has come is
 * PENDING, and a PENDING rec past `expires_at` is EXPIRED, whether or not the sweep has run yet.
 */
export function effectiveStatus(rec: RecommendationState, now: Date): RecommendationStatus {
  const status = (isSnoozeOver(rec, now) ? 'PENDING' : rec.status) as RecommendationStatus;
  if (status === 'PENDING' && isDue(rec.expiresAt, now)) return 'EXPIRED';
  return status;
}

/** The system action the sweep (or a read) should persist now, if any. */
export function dueSystemAction(rec: RecommendationState, now: Date): 'EXPIRE' | 'UNSNOOZE' | null {
  const effective = effectiveStatus(rec, now);
  if (effective === 'EXPIRED' && rec.status !== 'EXPIRED') return 'EXPIRE';
  if (rec.status === 'SNOOZED' && effective === 'PENDING') return 'UNSNOOZE';
  return null;
}

export interface RecommendationChanges {
  /** Present only when the stored status changes. */
  status?: RecommendationStatus;
  acceptedAt?: Date;
  rejectedAt?: Date;
  snoozedUntil?: Date;
  expiresAt?: Date;
}

export interface TransitionPlan {
  ok: true;
  from: RecommendationStatus;
  to: RecommendationStatus;
  eventType: RecommendationEventType | null;
  /** For `recommendation_events.reason`. */
  eventReason: string | null;
  /** For `recommendation_events.details_json` (the accept job fields are the caller's to add). */
  eventDetails: Record<string, unknown> | null;
  /** Column updates, Prisma field names. */
  changes: RecommendationChanges;
}

export interface InvalidTransition {
  ok: false;
  kind: 'INVALID_TRANSITION';
  /** The effective status (EXPIRED for a PENDING rec past expires_at). */
  currentStatus: RecommendationStatus;
  action: LifecycleAction;
  /** True when the rec is lazily expired but not stored so: the caller should persist EXPIRE. */
  expiryDue: boolean;
  message: string;
}

export interface TransitionValidationError {
  ok: false;
  kind: 'VALIDATION';
  field: 'reason' | 'snoozedUntil';
  message: string;
}

export type TransitionResult = TransitionPlan | InvalidTransition | TransitionValidationError;

export interface TransitionOptions {
  now: Date;
  reason?: string | null;
  snoozedUntil?: Date | null;
}

function invalid(rec: RecommendationState, action: LifecycleAction, current: RecommendationStatus, message: string): InvalidTransition {
  return { ok: false, kind: 'INVALID_TRANSITION', currentStatus: current, action, expiryDue: current === 'EXPIRED' && rec.status !== 'EXPIRED', message };
}

/** The status the action is applied from, or an error if the rec is not in a state the action accepts. */
function sourceStatus(rec: RecommendationState, action: LifecycleAction, now: Date): RecommendationStatus | InvalidTransition {
  const effective = effectiveStatus(rec, now);
  switch (action) {
    case 'UNSNOOZE':
      if (rec.status !== 'SNOOZED') return invalid(rec, action, effective, `cannot unsnooze a ${effective} recommendation`);
      if (!isSnoozeOver(rec, now)) return invalid(rec, action, 'SNOOZED', 'the snooze has not ended yet');
      return 'SNOOZED';
    case 'EXPIRE':
      // Expiry happens from PENDING (possibly a just-woken SNOOZED rec) once expires_at has passed.
      if (effective === 'EXPIRED' && rec.status !== 'EXPIRED') return 'PENDING';
      return invalid(rec, action, effective, effective === 'PENDING' ? 'the recommendation has not expired yet' : `cannot expire a ${effective} recommendation`);
    default:
      if (effective !== 'PENDING') {
        return invalid(rec, action, effective, `cannot ${action.toLowerCase()} a ${effective} recommendation`);
      }
      return 'PENDING';
  }
}

function validateOptions(action: LifecycleAction, options: TransitionOptions): TransitionValidationError | null {
  if (action === 'REJECT' && !(options.reason ?? '').trim()) {
    return { ok: false, kind: 'VALIDATION', field: 'reason', message: 'a reason is required to reject a recommendation' };
  }
  if (action === 'SNOOZE') {
    const until = options.snoozedUntil;
    const now = options.now.getTime();
    if (!until || Number.isNaN(until.getTime())) {
      return { ok: false, kind: 'VALIDATION', field: 'snoozedUntil', message: 'snoozedUntil is required' };
    }
    if (until.getTime() <= now) {
      return { ok: false, kind: 'VALIDATION', field: 'snoozedUntil', message: 'snoozedUntil must be in the future' };
    }
    if (until.getTime() > now + MAX_SNOOZE_DAYS * DAY_MS) {
      return { ok: false, kind: 'VALIDATION', field: 'snoozedUntil', message: `snoozedUntil must be at most ${MAX_SNOOZE_DAYS} days ahead` };
    }
  }
  return null;
}

function laterOf(a: Date | null, b: Date): Date {
  return a !== null && a.getTime() > b.getTime() ? a : b;
}

/**
 * Plans `action` on `rec` at `now`. State is checked before input, so acting on a finished rec
 * reports INVALID_TRANSITION even when the input is also wrong.
 */
export function planTransition(rec: RecommendationState, action: LifecycleAction, options: TransitionOptions): TransitionResult {
  const { now } = options;
  const from = sourceStatus(rec, action, now);
  if (typeof from !== 'string') return from;
  const transition = findTransition(from, action);
  if (!transition) return invalid(rec, action, from, `cannot ${action.toLowerCase()} a ${from} recommendation`);
  const validationError = validateOptions(action, options);
  if (validationError) return validationError;

  const changes: RecommendationChanges = {};
  if (transition.to !== rec.status) changes.status = transition.to;
  let eventReason: string | null = null;
  let eventDetails: Record<string, unknown> | null = null;
  switch (action) {
    case 'ACCEPT':
      changes.acceptedAt = now;
      eventReason = options.reason?.trim() || null;
      break;
    case 'REJECT':
      changes.rejectedAt = now;
      eventReason = (options.reason ?? '').trim();
      break;
    case 'SNOOZE': {
      const until = options.snoozedUntil as Date;
      changes.snoozedUntil = until;
      // Give the user a full TTL after waking before the rec can expire.
      changes.expiresAt = laterOf(rec.expiresAt, new Date(until.getTime() + RECOMMENDATION_TTL_DAYS * DAY_MS));
      eventDetails = { snoozed_until: until.toISOString() };
      break;
    }
    default:
      break;
  }
  return { ok: true, from: rec.status as RecommendationStatus, to: transition.to, eventType: transition.eventType, eventReason, eventDetails, changes };
}

export type ActionState = 'NONE' | 'STARTED' | 'COMPLETED' | 'FAILED';

const ACTION_STATE_BY_EVENT: Partial<Record<string, ActionState>> = {
  ACTION_STARTED: 'STARTED',
  ACTION_COMPLETED: 'COMPLETED',
  ACTION_FAILED: 'FAILED',
};

export interface RecommendationEventLike {
  eventType: RecommendationEventType | string;
  createdAt?: Date | null;
  id?: number | null;
}

/**
 * Derived outcome of an accepted rec's job: the latest ACTION_* event (the status stays ACCEPTED,
 * §5.4). Ordered by created_at, then id, then list position.
 */
export function actionState(events: readonly RecommendationEventLike[]): ActionState {
  let latest: { state: ActionState; time: number; id: number; index: number } | null = null;
  events.forEach((event, index) => {
    const state = ACTION_STATE_BY_EVENT[event.eventType];
    if (!state) return;
    const candidate = { state, time: event.createdAt?.getTime() ?? -Infinity, id: event.id ?? -Infinity, index };
    if (
      latest === null ||
      candidate.time > latest.time ||
      (candidate.time === latest.time && (candidate.id > latest.id || (candidate.id === latest.id && candidate.index > latest.index)))
    ) {
      latest = candidate;
    }
  });
  return (latest as { state: ActionState } | null)?.state ?? 'NONE';
}

/** Actions that accept turns into a publish job (§5.1). */
export const PUBLISHABLE_ACTIONS = ['CHANGE_PRICE', 'CHANGE_STOCK'] as const;

/** The action type of an `action_payload_json` (`{type: 'CHANGE_PRICE', …}`) or a bare type string. */
export function actionTypeOf(actionPayload: unknown): string | null {
  if (typeof actionPayload === 'string') return actionPayload;
  if (actionPayload && typeof actionPayload === 'object') {
    const payload = actionPayload as Record<string, unknown>;
    for (const key of ['type', 'action_type', 'actionType', 'action']) {
      if (typeof payload[key] === 'string') return payload[key] as string;
    }
  }
  return null;
}

export function isPublishable(actionPayload: unknown): boolean {
  const type = actionTypeOf(actionPayload);
  return type !== null && (PUBLISHABLE_ACTIONS as readonly string[]).includes(type);
}
