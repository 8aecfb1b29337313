import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/databases.js';
import { createTestApp, type TestApp } from '../support/graphql.js';
import { BOM_ERROR_FIELDS, createAsinEntity, createListing, gid } from './fixtures.js';

const NOW = new Date('2025-06-01T12:00:00.000Z');

const BOM_PAYLOAD = `
  bom { id databaseId version isActive effectiveFrom effectiveTo scopeType notes costRollup { bomCostExVat lineCount } lines { quantity wastageRate component { databaseId } } }
  previousActiveBom { databaseId version isActive effectiveTo }
  listingEvent { eventType before: beforeJson after: afterJson reason }
  featureJob { databaseId jobType status priority }
  changed
  replayed
`;

const CREATE = `mutation($input: CreateBomVersionInput!) {
  createBomVersion(input: $input) { __typename ... on CreateBomVersionPayload { ${BOM_PAYLOAD} } ${BOM_ERROR_FIELDS} }
}`;
const REPLACE = `mutation($input: ReplaceBomLinesInput!) {
  replaceBomLines(input: $input) { __typename ... on ReplaceBomLinesPayload { ${BOM_PAYLOAD} } ${BOM_ERROR_FIELDS} }
}`;
const ACTIVATE = `mutation($input: ActivateBomVersionInput!) {
  activateBomVersion(input: $input) { __typename ... on ActivateBomVersionPayload { ${BOM_PAYLOAD} } ${BOM_ERROR_FIELDS} }
}`;

describe.each(backends)('BOM mutations on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind, { clock: () => NOW });
  });
  afterAll(async () => {
    await t?.close();
  });

  async function counts(listingId: number) {
    const prisma = t.db.prisma;
    return {
      boms: await prisma.bom.count({ where: { listingId } }),
      events: await prisma.listingEvent.count({ where: { listingId } }),
      jobs: await prisma.job.count({ where: { listingId } }),
      keys: await prisma.idempotencyKey.count(),
    };
  }

  function lines(componentIds: number[], quantities = ['2', '1']) {
    return quantities.map((quantity, i) => ({ componentId: gid('Component', componentIds[i]!), quantity }));
  }

  it('creates version 1, then 2 which deactivates 1, with BOM_UPDATED and a deduplicated feature job', async () => {
    const { listingId, componentIds } = await createListing(t.db.prisma);
    const first = await t.gql(CREATE, { input: { listingId: gid('Listing', listingId), lines: lines(componentIds), notes: 'v1' } });
    expect(first.errors).toBeUndefined();
    const v1 = first.data.createBomVersion;
    expect(v1.__typename).toBe('CreateBomVersionPayload');
    expect(v1.bom).toMatchObject({ version: 1, isActive: true, scopeType: 'LISTING', effectiveFrom: NOW.toISOString(), effectiveTo: null });
    expect(v1.bom.costRollup).toEqual({ bomCostExVat: '7.50', lineCount: 2 });
    expect(v1.previousActiveBom).toBeNull();
    expect(v1.listingEvent).toMatchObject({ eventType: 'BOM_UPDATED', before: null, reason: 'v1' });
    expect(v1.listingEvent.after).toMatchObject({ bom_id: v1.bom.databaseId, version: 1, bom_cost_ex_vat: '7.50', line_count: 2, operation: 'CREATE' });
    expect(v1.featureJob).toMatchObject({ jobType: 'COMPUTE_FEATURES_LISTING', status: 'PENDING' });

    const second = await t.gql(CREATE, { input: { listingId: gid('Listing', listingId), lines: lines(componentIds, ['1']) } });
    const v2 = second.data.createBomVersion;
    expect(v2.bom).toMatchObject({ version: 2, isActive: true });
    expect(v2.previousActiveBom).toMatchObject({ version: 1, isActive: false, effectiveTo: NOW.toISOString() });
    expect(v2.listingEvent.before).toEqual({ bom_id: v1.bom.databaseId, version: 1, bom_cost_ex_vat: '7.50' });
    expect(v2.listingEvent.after).toMatchObject({ version: 2, bom_cost_ex_vat: '3.00', operation: 'CREATE' });
    // The PENDING feature job is reused, not duplicated (§2 side effects, §6.3).
    expect(v2.featureJob.databaseId).toBe(v1.featureJob.databaseId);
    expect(await t.db.prisma.job.count({ where: { listingId, jobType: 'COMPUTE_FEATURES_LISTING' } })).toBe(1);
  });

  it('creates an inactive version when activate is false, and accepts an empty line set', async () => {
    const { listingId, componentIds } = await createListing(t.db.prisma);
    await t.gql(CREATE, { input: { listingId: gid('Listing', listingId), lines: lines(componentIds) } });
    const result = await t.gql(CREATE, { input: { listingId: gid('Listing', listingId), lines: [], activate: false } });
    const payload = result.data.createBomVersion;
    expect(payload.bom).toMatchObject({ version: 2, isActive: false, effectiveFrom: null });
    expect(payload.bom.costRollup).toEqual({ bomCostExVat: '0.00', lineCount: 0 });
    expect(payload.previousActiveBom).toBeNull();
    expect(payload.featureJob).toBeNull();
    expect(await t.db.prisma.bom.count({ where: { listingId, isActive: true } })).toBe(1);
  });

  it('an empty BOM can be a draft but never the active version (EmptyBomError, nothing written)', async () => {
    const { listingId, componentIds } = await createListing(t.db.prisma);
    const v1 = (await t.gql(CREATE, { input: { listingId: gid('Listing', listingId), lines: lines(componentIds) } })).data.createBomVersion.bom;
    const before = await counts(listingId);

    const activeEmpty = (await t.gql(CREATE, { input: { listingId: gid('Listing', listingId), lines: [] } })).data.createBomVersion;
    expect(activeEmpty).toMatchObject({ __typename: 'EmptyBomError', code: 'EMPTY_BOM', bomId: null, bomDatabaseId: null });
    expect(activeEmpty.message).toMatch(/activate: false/);
    const replacedEmpty = (await t.gql(REPLACE, { input: { bomId: v1.id, lines: [] } })).data.replaceBomLines;
    expect(replacedEmpty).toMatchObject({ __typename: 'EmptyBomError', code: 'EMPTY_BOM' });
    expect(await counts(listingId)).toEqual(before);

    const draft = (await t.gql(CREATE, { input: { listingId: gid('Listing', listingId), lines: [], activate: false } })).data.createBomVersion.bom;
    expect(draft).toMatchObject({ version: 2, isActive: false });
    const activated = (await t.gql(ACTIVATE, { input: { bomId: draft.id } })).data.activateBomVersion;
    expect(activated).toMatchObject({ __typename: 'EmptyBomError', code: 'EMPTY_BOM', bomId: draft.id, bomDatabaseId: draft.databaseId });
    expect(await t.db.prisma.bom.findFirst({ where: { listingId, isActive: true } })).toMatchObject({ id: v1.databaseId });
  });

  it('activates an older version in one step: closes the current one, opens the target, records before/after', async () => {
    const { listingId, componentIds } = await createListing(t.db.prisma);
    const v1 = (await t.gql(CREATE, { input: { listingId: gid('Listing', listingId), lines: lines(componentIds) } })).data.createBomVersion.bom;
    const v2 = (await t.gql(CREATE, { input: { listingId: gid('Listing', listingId), lines: lines(componentIds, ['1']) } })).data.createBomVersion.bom;
    const result = await t.gql(ACTIVATE, { input: { bomId: v1.id } });
    const payload = result.data.activateBomVersion;
    expect(payload.__typename).toBe('ActivateBomVersionPayload');
    expect(payload.changed).toBe(true);
    expect(payload.bom).toMatchObject({ version: 1, isActive: true, effectiveFrom: NOW.toISOString(), effectiveTo: null });
    expect(payload.previousActiveBom).toMatchObject({ databaseId: v2.databaseId, isActive: false, effectiveTo: NOW.toISOString() });
    expect(payload.listingEvent.before).toEqual({ bom_id: v2.databaseId, version: 2, bom_cost_ex_vat: '3.00' });
    expect(payload.listingEvent.after).toMatchObject({ bom_id: v1.databaseId, version: 1, bom_cost_ex_vat: '7.50', operation: 'ACTIVATE' });

    // Activating the active version is a no-op: no event, no change.
    const before = await counts(listingId);
    const again = (await t.gql(ACTIVATE, { input: { bomId: v1.id } })).data.activateBomVersion;
    expect(again).toMatchObject({ changed: false, listingEvent: null, previousActiveBom: null });
    expect(await counts(listingId)).toEqual(before);
  });

  it('replaces the lines of the active version by creating a new active version; refuses an inactive one', async () => {
    const { listingId, componentIds } = await createListing(t.db.prisma);
    const v1 = (await t.gql(CREATE, { input: { listingId: gid('Listing', listingId), lines: lines(componentIds), notes: 'keep' } })).data.createBomVersion.bom;
    const replaced = (await t.gql(REPLACE, { input: { bomId: v1.id, lines: lines(componentIds, ['4', '2', '1']) } })).data.replaceBomLines;
    expect(replaced.bom).toMatchObject({ version: 2, isActive: true, notes: 'keep' });
    expect(replaced.bom.lines).toHaveLength(3);
    expect(replaced.previousActiveBom).toMatchObject({ version: 1, isActive: false });
    expect(replaced.listingEvent.after).toMatchObject({ operation: 'REPLACE_LINES', version: 2 });
    // v1's lines are untouched (immutable versions).
    expect(await t.db.prisma.bomLine.count({ where: { bomId: v1.databaseId } })).toBe(2);

    const refused = (await t.gql(REPLACE, { input: { bomId: v1.id, lines: [] } })).data.replaceBomLines;
    expect(refused).toMatchObject({ __typename: 'ValidationError', field: 'bomId', code: 'VALIDATION' });
  });

  it('versions ASIN-scenario BOMs separately, under the ASIN active index, without a listing event', async () => {
    const { componentIds } = await createListing(t.db.prisma);
    const entityId = await createAsinEntity(t.db.prisma);
    const input = { asinEntityId: gid('AsinEntity', entityId), lines: lines(componentIds, ['1']) };
    const s1 = (await t.gql(CREATE, { input })).data.createBomVersion;
    const s2 = (await t.gql(CREATE, { input })).data.createBomVersion;
    expect(s1.bom).toMatchObject({ version: 1, scopeType: 'ASIN_SCENARIO', isActive: true });
    expect(s2.bom).toMatchObject({ version: 2, isActive: true });
    expect(s2.previousActiveBom).toMatchObject({ version: 1, isActive: false });
    expect(s2.listingEvent).toBeNull();
    expect(s2.featureJob).toMatchObject({ jobType: 'COMPUTE_FEATURES_ASIN' });
    const back = (await t.gql(ACTIVATE, { input: { bomId: s1.bom.id } })).data.activateBomVersion;
    expect(back.bom).toMatchObject({ version: 1, isActive: true });
    expect(await t.db.prisma.bom.count({ where: { asinEntityId: entityId, isActive: true } })).toBe(1);
  });

  describe('typed errors', () => {
    it('not found, bad global IDs and scope rules', async () => {
      const { listingId, componentIds } = await createListing(t.db.prisma);
      const missing = await t.gql(ACTIVATE, { input: { bomId: gid('Bom', 999_999) } });
      expect(missing.data.activateBomVersion).toMatchObject({ __typename: 'NotFoundError', entityType: 'Bom', code: 'NOT_FOUND' });

      const missingListing = await t.gql(CREATE, { input: { listingId: gid('Listing', 999_999), lines: [] } });
      expect(missingListing.data.createBomVersion).toMatchObject({ __typename: 'NotFoundError', entityType: 'Listing' });

      const garbage = await t.gql(ACTIVATE, { input: { bomId: 'not-an-id' } });
      expect(garbage.data.activateBomVersion).toMatchObject({ __typename: 'ValidationError', field: 'bomId' });

      const wrongType = await t.gql(ACTIVATE, { input: { bomId: gid('Listing', listingId) } });
      expect(wrongType.data.activateBomVersion).toMatchObject({ __typename: 'ValidationError', field: 'bomId' });

      const both = await t.gql(CREATE, { input: { listingId: gid('Listing', listingId), asinEntityId: gid('AsinEntity', 1), lines: [] } });
      expect(both.data.createBomVersion).toMatchObject({ __typename: 'ValidationError', field: 'asinEntityId' });
      const neither = await t.gql(CREATE, { input: { lines: lines(componentIds) } });
      expect(neither.data.createBomVersion).toMatchObject({ __typename: 'ValidationError', field: 'listingId' });
    });

    it('validation names the line field: quantity, wastage, duplicate and unknown components', async () => {
      const { listingId, componentIds } = await createListing(t.db.prisma);
      const listing = gid('Listing', listingId);
      const before = await counts(listingId);
      const zero = await t.gql(CREATE, { input: { listingId: listing, lines: [{ componentId: gid('Component', componentIds[0]!), quantity: '0' }] } });
      expect(zero.data.createBomVersion).toMatchObject({ __typename: 'ValidationError', field: 'lines[0].quantity' });
      const wastage = await t.gql(CREATE, {
        input: { listingId: listing, lines: [{ componentId: gid('Component', componentIds[0]!), quantity: '1', wastageRate: '1' }] },
      });
      expect(wastage.data.createBomVersion).toMatchObject({ __typename: 'ValidationError', field: 'lines[0].wastageRate' });
      const duplicate = await t.gql(CREATE, {
        input: {
          listingId: listing,
          lines: [
            { componentId: gid('Component', componentIds[0]!), quantity: '1' },
            { componentId: gid('Component', componentIds[0]!), quantity: '2' },
          ],
        },
      });
      expect(duplicate.data.createBomVersion).toMatchObject({ __typename: 'ValidationError', field: 'lines[1].componentId' });
      const unknown = await t.gql(CREATE, {
        input: { listingId: listing, lines: [{ componentId: gid('Component', componentIds[0]!), quantity: '1' }, { componentId: gid('Component', 999_999), quantity: '1' }] },
      });
      expect(unknown.data.createBomVersion).toMatchObject({ __typename: 'ValidationError', field: 'lines[1].componentId' });
      expect(await counts(listingId)).toEqual(before);
    });

    it('an invalid Decimal is refused before any resolver runs, naming its argument path in the same format', async () => {
      const { listingId, componentIds } = await createListing(t.db.prisma);
      const before = await counts(listingId);
      const component = gid('Component', componentIds[0]!);
      const asVariable = await t.gql(CREATE, { input: { listingId: gid('Listing', listingId), lines: [{ componentId: component, quantity: '1' }, { componentId: component, quantity: 'abc' }] } });
      expect(asVariable.data ?? null).toBeNull();
      expect(asVariable.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'createBomVersion.input.lines[1].quantity' });
      const asLiteral = await t.gql(
        `mutation { createBomVersion(input: { listingId: "${gid('Listing', listingId)}", lines: [{ componentId: "${component}", quantity: "1" }, { componentId: "${component}", quantity: "1", wastageRate: "a lot" }] }) { __typename } }`,
      );
      expect(asLiteral.data ?? null).toBeNull();
      expect(asLiteral.errors?.[0]?.message).toMatch(/Invalid Decimal/);
      expect(asLiteral.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'createBomVersion.input.lines[1].wastageRate' });
      expect(await counts(listingId)).toEqual(before);
    });
  });

  describe('idempotency', () => {
    it('the same key and input replays the first result and writes nothing more', async () => {
      const { listingId, componentIds } = await createListing(t.db.prisma);
      const input = { listingId: gid('Listing', listingId), lines: lines(componentIds), idempotencyKey: `bom-create-${kind}-${listingId}` };
      const first = (await t.gql(CREATE, { input })).data.createBomVersion;
      expect(first.replayed).toBe(false);
      const after = await counts(listingId);
      const second = (await t.gql(CREATE, { input })).data.createBomVersion;
      expect(second.replayed).toBe(true);
      expect(second.bom.databaseId).toBe(first.bom.databaseId);
      expect(second.listingEvent).toEqual(first.listingEvent);
      expect(await counts(listingId)).toEqual(after);
    });

    it('the same key with a different input is refused and writes nothing', async () => {
      const { listingId, componentIds } = await createListing(t.db.prisma);
      const key = `bom-reuse-${kind}-${listingId}`;
      const v1 = (await t.gql(CREATE, { input: { listingId: gid('Listing', listingId), lines: lines(componentIds), idempotencyKey: key } })).data.createBomVersion;
      const after = await counts(listingId);
      const reused = await t.gql(CREATE, { input: { listingId: gid('Listing', listingId), lines: lines(componentIds, ['3']), idempotencyKey: key } });
      expect(reused.data.createBomVersion).toMatchObject({ __typename: 'IdempotencyKeyReuseError', idempotencyKey: key, firstOperation: 'createBomVersion' });
      const otherMutation = await t.gql(ACTIVATE, { input: { bomId: v1.bom.id, idempotencyKey: key } });
      expect(otherMutation.data.activateBomVersion).toMatchObject({ __typename: 'IdempotencyKeyReuseError' });
      expect(await counts(listingId)).toEqual(after);
    });

    it('activation and replace replay too; a key that first met a typed error can be used again', async () => {
      const { listingId, componentIds } = await createListing(t.db.prisma);
      const v1 = (await t.gql(CREATE, { input: { listingId: gid('Listing', listingId), lines: lines(componentIds) } })).data.createBomVersion.bom;
      await t.gql(CREATE, { input: { listingId: gid('Listing', listingId), lines: lines(componentIds, ['1']) } });
      const key = `bom-activate-${kind}-${listingId}`;
      const a1 = (await t.gql(ACTIVATE, { input: { bomId: v1.id, idempotencyKey: key } })).data.activateBomVersion;
      const after = await counts(listingId);
      const a2 = (await t.gql(ACTIVATE, { input: { bomId: v1.id, idempotencyKey: key } })).data.activateBomVersion;
      expect(a2).toMatchObject({ replayed: true, changed: true, bom: { databaseId: a1.bom.databaseId } });
      expect(a2.listingEvent).toEqual(a1.listingEvent);
      expect(await counts(listingId)).toEqual(after);

      const badKey = `bom-replace-${kind}-${listingId}`;
      const oneLine = lines(componentIds, ['5']);
      const failed = await t.gql(REPLACE, { input: { bomId: gid('Bom', 999_999), lines: oneLine, idempotencyKey: badKey } });
      expect(failed.data.replaceBomLines.__typename).toBe('NotFoundError');
      const ok = (await t.gql(REPLACE, { input: { bomId: v1.id, lines: oneLine, idempotencyKey: badKey } })).data.replaceBomLines;
      expect(ok).toMatchObject({ __typename: 'ReplaceBomLinesPayload', replayed: false });
      const replay = (await t.gql(REPLACE, { input: { bomId: v1.id, lines: oneLine, idempotencyKey: badKey } })).data.replaceBomLines;
      expect(replay).toMatchObject({ replayed: true, bom: { databaseId: ok.bom.databaseId } });
    });

    it('an empty or over-long key is a validation error on idempotencyKey', async () => {
      const { listingId } = await createListing(t.db.prisma);
      const empty = await t.gql(CREATE, { input: { listingId: gid('Listing', listingId), lines: [], idempotencyKey: ' ' } });
      expect(empty.data.createBomVersion).toMatchObject({ __typename: 'ValidationError', field: 'idempotencyKey' });
      const long = await t.gql(CREATE, { input: { listingId: gid('Listing', listingId), lines: [], idempotencyKey: 'k'.repeat(201) } });
      expect(long.data.createBomVersion).toMatchObject({ __typename: 'ValidationError', field: 'idempotencyKey' });
    });
  });
});
