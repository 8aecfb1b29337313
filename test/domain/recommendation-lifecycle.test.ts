import { describe, expect, it } from 'vitest';
import {
  type LifecycleAction,
  type RecommendationState,
  type RecommendationStatus,
  actionState,
  actionTypeOf,
  dueSystemAction,
  effectiveStatus,
  expiresAtFor,
  isPublishable,
  planTransition,
} from '../../src/domain/recommendation-lifecycle.js';

const DAY = 86_400_000;
const now = new Date('2024-05-01T12:00:00Z');
const at = (offsetMs: number) => new Date(now.getTime() + offsetMs);

/** A rec that is neither expired nor due to wake. */
const rec = (status: RecommendationStatus, overrides: Partial<RecommendationState> = {}): RecommendationState => ({
  status,
  expiresAt: at(3 * DAY),
  snoozedUntil: status === 'SNOOZED' ? at(2 * DAY) : null,
  ...overrides,
});

const options = { now, reason: 'price is fine', snoozedUntil: at(5 * DAY) };

const STATUSES: RecommendationStatus[] = ['PENDING', 'ACCEPTED', 'REJECTED', 'SNOOZED', 'EXPIRED', 'SUPERSEDED'];
const ACTIONS: LifecycleAction[] = ['VIEW', 'ACCEPT', 'REJECT', 'SNOOZE', 'EXPIRE', 'SUPERSEDE', 'UNSNOOZE'];

/** §5.4 with nothing due: the only allowed moves; every other pair is INVALID_TRANSITION. */
const ALLOWED: Record<string, { to: RecommendationStatus; eventType: string | null }> = {
  'PENDING/VIEW': { to: 'PENDING', eventType: 'VIEWED' },
  'PENDING/ACCEPT': { to: 'ACCEPTED', eventType: 'ACCEPTED' },
  'PENDING/REJECT': { to: 'REJECTED', eventType: 'REJECTED' },
  'PENDING/SNOOZE': { to: 'SNOOZED', eventType: 'SNOOZED' },
  'PENDING/SUPERSEDE': { to: 'SUPERSEDED', eventType: 'SUPERSEDED' },
};

describe('§5.4 transition matrix (nothing due)', () => {
  for (const status of STATUSES) {
    for (const action of ACTIONS) {
      const expected = ALLOWED[`${status}/${action}`];
      it(`${status} + ${action} → ${expected ? expected.to : 'INVALID_TRANSITION'}`, () => {
        const result = planTransition(rec(status), action, options);
        if (expected) {
          expect(result).toMatchObject({ ok: true, from: status, to: expected.to, eventType: expected.eventType });
        } else {
          expect(result).toMatchObject({ ok: false, kind: 'INVALID_TRANSITION', currentStatus: status, action, expiryDue: false });
        }
      });
    }
  }
});

describe('effects of user actions', () => {
  it('VIEW changes nothing', () => {
    const result = planTransition(rec('PENDING'), 'VIEW', { now });
    expect(result).toEqual({ ok: true, from: 'PENDING', to: 'PENDING', eventType: 'VIEWED', eventReason: null, eventDetails: null, changes: {} });
  });

  it('ACCEPT sets accepted_at and keeps an optional reason', () => {
    expect(planTransition(rec('PENDING'), 'ACCEPT', { now })).toMatchObject({
      ok: true,
      changes: { status: 'ACCEPTED', acceptedAt: now },
      eventReason: null,
    });
    expect(planTransition(rec('PENDING'), 'ACCEPT', { now, reason: '  go  ' })).toMatchObject({ eventReason: 'go' });
  });

  it('REJECT needs a non-empty reason and sets rejected_at', () => {
    for (const reason of [undefined, null, '', '   ']) {
      expect(planTransition(rec('PENDING'), 'REJECT', { now, reason })).toEqual({
        ok: false,
        kind: 'VALIDATION',
        field: 'reason',
        message: 'a reason is required to reject a recommendation',
      });
    }
    expect(planTransition(rec('PENDING'), 'REJECT', { now, reason: ' too risky ' })).toEqual({
      ok: true,
      from: 'PENDING',
      to: 'REJECTED',
      eventType: 'REJECTED',
      eventReason: 'too risky',
      eventDetails: null,
      changes: { status: 'REJECTED', rejectedAt: now },
    });
  });

  it('checks state before input: rejecting an ACCEPTED rec without reason is INVALID_TRANSITION', () => {
    expect(planTransition(rec('ACCEPTED'), 'REJECT', { now })).toMatchObject({ ok: false, kind: 'INVALID_TRANSITION', currentStatus: 'ACCEPTED' });
  });
});

describe('snooze', () => {
  it('requires snoozedUntil with now < t ≤ now + 365 d', () => {
    const invalid = [undefined, null, now, at(-1), at(365 * DAY + 1), new Date('nope')];
    for (const snoozedUntil of invalid) {
      const result = planTransition(rec('PENDING'), 'SNOOZE', { now, snoozedUntil });
      expect(result).toMatchObject({ ok: false, kind: 'VALIDATION', field: 'snoozedUntil' });
    }
    expect(planTransition(rec('PENDING'), 'SNOOZE', { now, snoozedUntil: at(1) }).ok).toBe(true);
    expect(planTransition(rec('PENDING'), 'SNOOZE', { now, snoozedUntil: at(365 * DAY) }).ok).toBe(true);
  });

  it('extends expires_at to snoozed_until + 7 d when that is later', () => {
    const until = at(5 * DAY);
    expect(planTransition(rec('PENDING'), 'SNOOZE', { now, snoozedUntil: until })).toEqual({
      ok: true,
      from: 'PENDING',
      to: 'SNOOZED',
      eventType: 'SNOOZED',
      eventReason: null,
      eventDetails: { snoozed_until: until.toISOString() },
      changes: { status: 'SNOOZED', snoozedUntil: until, expiresAt: at(12 * DAY) },
    });
  });

  it('keeps a later expires_at', () => {
    const result = planTransition(rec('PENDING', { expiresAt: at(30 * DAY) }), 'SNOOZE', { now, snoozedUntil: at(DAY) });
    expect(result).toMatchObject({ ok: true, changes: { snoozedUntil: at(DAY), expiresAt: at(30 * DAY) } });
  });

  it('sets expires_at when there was none', () => {
    const result = planTransition(rec('PENDING', { expiresAt: null }), 'SNOOZE', { now, snoozedUntil: at(DAY) });
    expect(result).toMatchObject({ ok: true, changes: { expiresAt: at(8 * DAY) } });
  });
});

describe('lazy expiry', () => {
  const expired = rec('PENDING', { expiresAt: now });

  it('a PENDING rec with expires_at ≤ now is EXPIRED', () => {
    expect(effectiveStatus(expired, now)).toBe('EXPIRED');
    expect(effectiveStatus(rec('PENDING', { expiresAt: at(1) }), now)).toBe('PENDING');
    expect(effectiveStatus(rec('PENDING', { expiresAt: null }), now)).toBe('PENDING');
  });

  it.each(['VIEW', 'ACCEPT', 'REJECT', 'SNOOZE', 'SUPERSEDE'] as const)('%s on it is INVALID_TRANSITION from EXPIRED, expiry to persist', (action) => {
    expect(planTransition(expired, action, options)).toMatchObject({
      ok: false,
      kind: 'INVALID_TRANSITION',
      currentStatus: 'EXPIRED',
      action,
      expiryDue: true,
    });
  });

  it('EXPIRE persists it', () => {
    expect(dueSystemAction(expired, now)).toBe('EXPIRE');
    expect(planTransition(expired, 'EXPIRE', { now })).toEqual({
      ok: true,
      from: 'PENDING',
      to: 'EXPIRED',
      eventType: 'EXPIRED',
      eventReason: null,
      eventDetails: null,
      changes: { status: 'EXPIRED' },
    });
  });

  it('EXPIRE is refused before expires_at and on a stored EXPIRED rec', () => {
    expect(planTransition(rec('PENDING'), 'EXPIRE', { now })).toMatchObject({ ok: false, currentStatus: 'PENDING', expiryDue: false });
    expect(planTransition(rec('EXPIRED', { expiresAt: at(-DAY) }), 'EXPIRE', { now })).toMatchObject({
      ok: false,
      currentStatus: 'EXPIRED',
      expiryDue: false,
    });
    expect(dueSystemAction(rec('EXPIRED', { expiresAt: at(-DAY) }), now)).toBeNull();
  });

  it('terminal statuses never expire lazily', () => {
    for (const status of ['ACCEPTED', 'REJECTED', 'SUPERSEDED'] as const) {
      expect(effectiveStatus(rec(status, { expiresAt: at(-DAY) }), now)).toBe(status);
      expect(dueSystemAction(rec(status, { expiresAt: at(-DAY) }), now)).toBeNull();
    }
  });
});

describe('lazy unsnooze', () => {
  const woken = rec('SNOOZED', { snoozedUntil: now, expiresAt: at(7 * DAY) });

  it('a SNOOZED rec with snoozed_until ≤ now is PENDING', () => {
    expect(effectiveStatus(woken, now)).toBe('PENDING');
    expect(effectiveStatus(rec('SNOOZED'), now)).toBe('SNOOZED');
    expect(dueSystemAction(woken, now)).toBe('UNSNOOZE');
    expect(dueSystemAction(rec('SNOOZED'), now)).toBeNull();
  });

  it('UNSNOOZE moves it to PENDING without an event and keeps snoozed_until', () => {
    expect(planTransition(woken, 'UNSNOOZE', { now })).toEqual({
      ok: true,
      from: 'SNOOZED',
      to: 'PENDING',
      eventType: null,
      eventReason: null,
      eventDetails: null,
      changes: { status: 'PENDING' },
    });
  });

  it('UNSNOOZE is refused before snoozed_until and on other statuses', () => {
    expect(planTransition(rec('SNOOZED'), 'UNSNOOZE', { now })).toMatchObject({ ok: false, kind: 'INVALID_TRANSITION', currentStatus: 'SNOOZED' });
    expect(planTransition(rec('PENDING'), 'UNSNOOZE', { now })).toMatchObject({ ok: false, currentStatus: 'PENDING' });
  });

  it('user actions on a woken rec apply from PENDING', () => {
    expect(planTransition(woken, 'ACCEPT', { now })).toMatchObject({
      ok: true,
      from: 'SNOOZED',
      to: 'ACCEPTED',
      changes: { status: 'ACCEPTED', acceptedAt: now },
    });
    expect(planTransition(woken, 'VIEW', { now })).toMatchObject({ ok: true, to: 'PENDING', eventType: 'VIEWED', changes: { status: 'PENDING' } });
    expect(planTransition(woken, 'SNOOZE', { now, snoozedUntil: at(DAY) })).toMatchObject({
      ok: true,
      to: 'SNOOZED',
      // The stored status is already SNOOZED, so only the dates change.
      changes: { snoozedUntil: at(DAY), expiresAt: at(8 * DAY) },
    });
    expect(planTransition(woken, 'SNOOZE', { now, snoozedUntil: at(DAY) })).not.toHaveProperty('changes.status');
    expect(planTransition(woken, 'SUPERSEDE', { now })).toMatchObject({ ok: true, to: 'SUPERSEDED' });
  });

  it('a woken rec past expires_at is EXPIRED', () => {
    const late = rec('SNOOZED', { snoozedUntil: at(-10 * DAY), expiresAt: at(-3 * DAY) });
    expect(effectiveStatus(late, now)).toBe('EXPIRED');
    expect(dueSystemAction(late, now)).toBe('EXPIRE');
    expect(planTransition(late, 'ACCEPT', { now })).toMatchObject({ ok: false, currentStatus: 'EXPIRED', expiryDue: true });
    expect(planTransition(late, 'EXPIRE', { now })).toMatchObject({ ok: true, from: 'SNOOZED', to: 'EXPIRED', changes: { status: 'EXPIRED' } });
  });

  it('a SNOOZED rec without snoozed_until counts as woken', () => {
    expect(effectiveStatus(rec('SNOOZED', { snoozedUntil: null }), now)).toBe('PENDING');
  });
});

describe('expiresAtFor', () => {
  it('is generated_at + 7 d', () => {
    expect(expiresAtFor(now).toISOString()).toBe('2024-05-08T12:00:00.000Z');
  });
});

describe('actionState', () => {
  it('is NONE without ACTION_* events', () => {
    expect(actionState([])).toBe('NONE');
    expect(actionState([{ eventType: 'GENERATED' }, { eventType: 'ACCEPTED' }])).toBe('NONE');
  });

  it('follows the latest ACTION_* event by created_at', () => {
    const t = (minutes: number) => new Date(now.getTime() + minutes * 60_000);
    expect(
      actionState([
        { eventType: 'ACCEPTED', createdAt: t(0), id: 1 },
        { eventType: 'ACTION_STARTED', createdAt: t(1), id: 2 },
      ]),
    ).toBe('STARTED');
    expect(
      actionState([
        { eventType: 'ACTION_FAILED', createdAt: t(5), id: 4 },
        { eventType: 'ACTION_STARTED', createdAt: t(1), id: 2 },
        { eventType: 'VIEWED', createdAt: t(9), id: 9 },
      ]),
    ).toBe('FAILED');
    // A manual retry may complete after a failure.
    expect(
      actionState([
        { eventType: 'ACTION_STARTED', createdAt: t(1), id: 2 },
        { eventType: 'ACTION_FAILED', createdAt: t(5), id: 4 },
        { eventType: 'ACTION_COMPLETED', createdAt: t(60), id: 7 },
      ]),
    ).toBe('COMPLETED');
  });

  it('breaks created_at ties by id, then list order', () => {
    const same = now;
    expect(actionState([{ eventType: 'ACTION_COMPLETED', createdAt: same, id: 3 }, { eventType: 'ACTION_STARTED', createdAt: same, id: 2 }])).toBe('COMPLETED');
    expect(actionState([{ eventType: 'ACTION_STARTED' }, { eventType: 'ACTION_COMPLETED' }])).toBe('COMPLETED');
  });
});

describe('isPublishable', () => {
  it('is true for CHANGE_PRICE and CHANGE_STOCK only', () => {
    expect(isPublishable({ type: 'CHANGE_PRICE', suggested_price_inc_vat: '19.00' })).toBe(true);
    expect(isPublishable({ type: 'CHANGE_STOCK', suggested_quantity: 84 })).toBe(true);
    expect(isPublishable('CHANGE_PRICE')).toBe(true);
    expect(isPublishable({ action_type: 'CHANGE_STOCK' })).toBe(true);
    for (const type of ['REVIEW_STOCK', 'REVIEW_COSTS', 'INVESTIGATE', 'CREATE_LISTING']) {
      expect(isPublishable({ type })).toBe(false);
    }
    expect(isPublishable(null)).toBe(false);
    expect(isPublishable({})).toBe(false);
    expect(actionTypeOf({ type: 'INVESTIGATE', anomaly_type: 'SALES_DROP' })).toBe('INVESTIGATE');
  });
});
