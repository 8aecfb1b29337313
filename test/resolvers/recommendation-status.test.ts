import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dueSystemAction, effectiveStatus } from '../../src/domain/recommendation-lifecycle.js';
import type { RecommendationStatus } from '../../src/generated/prisma/enums.js';
import { dueTransitionWhere, effectiveStatusSql, effectiveStatusWhere } from '../../src/resolvers/read/recommendation-status.js';
import { backends } from '../support/databases.js';
import { createTestApp, type TestApp } from '../support/graphql.js';

/**
 * One rule, three forms: the SQL CASE and the Prisma `where` of src/resolvers/read/recommendation-status.ts
 * must agree with the domain's `effectiveStatus` (and the sweep's `where` with `dueSystemAction`)
 * on every combination of stored status, expiry and wake-up time, the boundaries included.
 */

const NOW = new Date('2026-03-10T12:00:00.000Z');
const at = (offsetMs: number) => new Date(NOW.getTime() + offsetMs);
const STATUSES: RecommendationStatus[] = ['PENDING', 'ACCEPTED', 'REJECTED', 'SNOOZED', 'EXPIRED', 'SUPERSEDED'];
const TIMES: Array<[string, Date | null]> = [
  ['none', null],
  ['an hour ago', at(-3_600_000)],
  ['exactly now', NOW],
  ['in an hour', at(3_600_000)],
];

interface Case {
  name: string;
  status: RecommendationStatus;
  expiresAt: Date | null;
  snoozedUntil: Date | null;
}

const CASES: Case[] = STATUSES.flatMap((status) =>
  TIMES.flatMap(([expiresName, expiresAt]) =>
    TIMES.map(([snoozeName, snoozedUntil]) => ({ name: `${status}, expires ${expiresName}, snoozed until ${snoozeName}`, status, expiresAt, snoozedUntil })),
  ),
);

describe.each(backends)('the recommendation status rule in SQL and Prisma agrees with the domain (%s)', (kind) => {
  let t: TestApp;
  const idOf = new Map<string, number>();

  beforeAll(async () => {
    t = await createTestApp(kind);
    for (const c of CASES) {
      const rec = await t.db.prisma.recommendation.create({
        data: {
          recommendationType: 'PRICE_INCREASE_MARGIN_OPPORTUNITY',
          entityType: 'LISTING',
          entityId: 1,
          status: c.status,
          expiresAt: c.expiresAt,
          snoozedUntil: c.snoozedUntil,
          actionPayloadJson: {},
          evidenceJson: {},
          impactJson: {},
        },
      });
      idOf.set(c.name, rec.id);
    }
  });
  afterAll(() => t?.close());

  it('SQL: effectiveStatusSql', async () => {
    const rows = await t.db.prisma.$queryRaw<Array<{ id: number; status: string }>>`
      SELECT id, ${effectiveStatusSql(NOW)} AS status FROM recommendations WHERE id = ANY(${[...idOf.values()]}::int[])`;
    const sqlStatus = new Map(rows.map((row) => [Number(row.id), row.status]));
    for (const c of CASES) expect([c.name, sqlStatus.get(idOf.get(c.name)!)]).toEqual([c.name, effectiveStatus(c, NOW)]);
  });

  it('Prisma: effectiveStatusWhere', async () => {
    for (const status of STATUSES) {
      const rows = await t.db.prisma.recommendation.findMany({
        where: { AND: [{ id: { in: [...idOf.values()] } }, effectiveStatusWhere([status], NOW)] },
        select: { id: true },
      });
      const matched = new Set(rows.map((row) => row.id));
      for (const c of CASES) expect([c.name, status, matched.has(idOf.get(c.name)!)]).toEqual([c.name, status, effectiveStatus(c, NOW) === status]);
    }
  });

  it('Prisma: dueTransitionWhere (the sweep) matches exactly the rows dueSystemAction acts on', async () => {
    const rows = await t.db.prisma.recommendation.findMany({
      where: { AND: [{ id: { in: [...idOf.values()] } }, dueTransitionWhere(NOW)] },
      select: { id: true },
    });
    const matched = new Set(rows.map((row) => row.id));
    for (const c of CASES) expect([c.name, matched.has(idOf.get(c.name)!)]).toEqual([c.name, dueSystemAction(c, NOW) !== null]);
  });
});
