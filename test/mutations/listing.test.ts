import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/databases.js';
import { gid } from '../support/global-id.js';
import { createTestApp, type TestApp } from '../support/graphql.js';

/** Listing, catalog, cost-override, settings and enrichment mutations over GraphQL, on both backends. */

const NOW = new Date('2026-03-15T12:00:00.000Z');

const ERRORS = `
  ... on Error { __typename message code }
  ... on ValidationError { field reason }
  ... on NotFoundError { entityType id }
  ... on InvalidTransitionError { currentStatus attemptedAction }
  ... on IdempotencyKeyReuseError { idempotencyKey }`;

const LISTING_FIELDS = 'databaseId sellerSku asin title description bulletPoints priceIncVat availableQuantity category status statusRaw fulfillmentChannel fulfillmentChannelRaw';
const EVENT_FIELDS = 'databaseId eventType beforeJson afterJson reason createdBy';
const LISTING_PAYLOAD = `__typename ... on ListingPayload { replayed listing { ${LISTING_FIELDS} } listingEvent { ${EVENT_FIELDS} } } ${ERRORS}`;

const CREATE_LISTING = `mutation($input: CreateListingInput!) { createListing(input: $input) { ${LISTING_PAYLOAD} } }`;
const UPDATE_LISTING = `mutation($input: UpdateListingInput!) { updateListing(input: $input) { ${LISTING_PAYLOAD} } }`;
const ARCHIVE_LISTING = `mutation($input: ArchiveListingInput!) { archiveListing(input: $input) { ${LISTING_PAYLOAD} } }`;

const COMPONENT_FIELDS = 'databaseId componentSku name category unitCostExVat packSize isActive supplier { databaseId name }';
const COMPONENT_PAYLOAD = `__typename ... on ComponentPayload { replayed component { ${COMPONENT_FIELDS} } } ${ERRORS}`;
const CREATE_COMPONENT = `mutation($input: CreateComponentInput!) { createComponent(input: $input) { ${COMPONENT_PAYLOAD} } }`;
const UPDATE_COMPONENT = `mutation($input: UpdateComponentInput!) { updateComponent(input: $input) { ${COMPONENT_PAYLOAD} } }`;
const DEACTIVATE_COMPONENT = `mutation($input: DeactivateComponentInput!) { deactivateComponent(input: $input) { ${COMPONENT_PAYLOAD} } }`;

const SUPPLIER_FIELDS = 'databaseId name email currencyCode leadTimeDays minimumOrderValue rating isActive';
const SUPPLIER_PAYLOAD = `__typename ... on SupplierPayload { replayed supplier { ${SUPPLIER_FIELDS} } } ${ERRORS}`;
const CREATE_SUPPLIER = `mutation($input: CreateSupplierInput!) { createSupplier(input: $input) { ${SUPPLIER_PAYLOAD} } }`;
const UPDATE_SUPPLIER = `mutation($input: UpdateSupplierInput!) { updateSupplier(input: $input) { ${SUPPLIER_PAYLOAD} } }`;
const DEACTIVATE_SUPPLIER = `mutation($input: DeactivateSupplierInput!) { deactivateSupplier(input: $input) { ${SUPPLIER_PAYLOAD} } }`;

const UPSERT_OVERRIDE = `mutation($input: UpsertCostOverrideInput!) { upsertCostOverride(input: $input) {
  __typename ... on UpsertCostOverridePayload { replayed costOverride { shippingCostExVat packagingCostExVat handlingCostExVat otherCostExVat notes }
    listing { databaseId } listingEvent { ${EVENT_FIELDS} } } ${ERRORS} } }`;
const UPDATE_SETTINGS = `mutation($input: UpdateGuardrailSettingsInput!) { updateGuardrailSettings(input: $input) {
  __typename ... on UpdateGuardrailSettingsPayload { replayed updated { key value } settings { key value } } ${ERRORS} } }`;
const ENRICH = `mutation($input: RequestListingEnrichmentInput!) { requestListingEnrichment(input: $input) {
  __typename ... on RequestListingEnrichmentPayload { replayed listing { databaseId } jobs { jobType created job { databaseId jobType status priority inputJson createdBy } } }
  ${ERRORS} } }`;

describe.each(backends)('listing and catalog mutations (%s)', (kind) => {
  let t: TestApp;
  let seq = 0;
  let gbId: number;

  beforeAll(async () => {
    t = await createTestApp(kind, { clock: () => NOW });
    gbId = (await t.db.prisma.marketplace.findUniqueOrThrow({ where: { amazonMarketplaceId: 'A1F83G8C2ARO7P' } })).id;
  }, 120_000);
  afterAll(async () => t?.close());

  const nextSku = (prefix: string) => `${prefix}-${kind}-${++seq}`;

  async function newListing(extra: Record<string, unknown> = {}) {
    const r = await t.gql(CREATE_LISTING, { input: { sellerSku: nextSku('L'), title: 'A listing', ...extra } });
    expect(r.errors).toBeUndefined();
    return r.data.createListing;
  }

  describe('listings', () => {
    it('createListing stores the listing and records LISTING_CREATED null → listing', async () => {
      const sku = nextSku('CREATE');
      const r = await t.gql(CREATE_LISTING, {
        input: {
          sellerSku: ` ${sku} `,
          asin: 'b0test0001',
          title: 'Blue mug',
          bulletPoints: ['Holds 350 ml', 'Dishwasher safe'],
          priceIncVat: '19.99',
          availableQuantity: 30,
          category: 'Kitchen',
          fulfillmentChannel: 'FBA',
          marketplaceId: gid('Marketplace', gbId),
        },
      });
      expect(r.errors).toBeUndefined();
      const p = r.data.createListing;
      expect(p.__typename).toBe('ListingPayload');
      expect(p.listing).toMatchObject({
        sellerSku: sku,
        asin: 'B0TEST0001',
        title: 'Blue mug',
        bulletPoints: ['Holds 350 ml', 'Dishwasher safe'],
        priceIncVat: '19.99',
        availableQuantity: 30,
        category: 'Kitchen',
        status: 'ACTIVE',
        statusRaw: 'active',
        fulfillmentChannel: 'FBA',
        fulfillmentChannelRaw: 'FBA',
      });
      expect(p.listingEvent).toMatchObject({
        eventType: 'LISTING_CREATED',
        beforeJson: null,
        afterJson: {
          id: p.listing.databaseId,
          seller_sku: sku,
          asin: 'B0TEST0001',
          title: 'Blue mug',
          price_inc_vat: '19.99',
          available_quantity: 30,
          category: 'Kitchen',
          status: 'active',
          fulfillment_channel: 'FBA',
          marketplace_id: gbId,
        },
        createdBy: 'key:test-admin',
      });
      const row = await t.db.prisma.listing.findUniqueOrThrow({ where: { id: p.listing.databaseId } });
      expect(row.marketplaceId).toBe(gbId);
      expect(row.createdAt).toEqual(NOW);
    });

    it('createListing validation names the field; a taken seller SKU is a ValidationError on sellerSku', async () => {
      const taken = await newListing();
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ sellerSku: '  ' }, 'sellerSku'],
        [{ sellerSku: 'x'.repeat(101) }, 'sellerSku'],
        [{ sellerSku: taken.listing.sellerSku }, 'sellerSku'],
        [{ sellerSku: nextSku('V'), asin: 'short' }, 'asin'],
        [{ sellerSku: nextSku('V'), priceIncVat: '-1' }, 'priceIncVat'],
        [{ sellerSku: nextSku('V'), priceIncVat: '1.234' }, 'priceIncVat'],
        [{ sellerSku: nextSku('V'), availableQuantity: -5 }, 'availableQuantity'],
        [{ sellerSku: nextSku('V'), status: 'ARCHIVED' }, 'status'],
        [{ sellerSku: nextSku('V'), status: 'OTHER' }, 'status'],
        [{ sellerSku: nextSku('V'), fulfillmentChannel: 'OTHER' }, 'fulfillmentChannel'],
        [{ sellerSku: nextSku('V'), marketplaceId: gid('Marketplace', 99_999) }, 'marketplaceId'],
        [{ sellerSku: nextSku('V'), marketplaceId: gid('Listing', 1) }, 'marketplaceId'],
      ];
      const before = await t.db.prisma.listing.count();
      for (const [input, field] of cases) {
        const r = await t.gql(CREATE_LISTING, { input });
        expect(r.data?.createListing, JSON.stringify(input)).toMatchObject({ __typename: 'ValidationError', code: 'VALIDATION', field });
      }
      // Values outside the enums never reach the resolver: GraphQL refuses the variable.
      for (const input of [{ sellerSku: nextSku('V'), status: 'deleted' }, { sellerSku: nextSku('V'), status: 'active' }, { sellerSku: nextSku('V'), fulfillmentChannel: 'SFP' }]) {
        const r = await t.gql(CREATE_LISTING, { input });
        expect(r.data ?? null, JSON.stringify(input)).toBeNull();
        expect(r.errors?.[0]?.message, JSON.stringify(input)).toMatch(/ListingStatus|FulfillmentChannel/);
      }
      expect(await t.db.prisma.listing.count()).toBe(before);
      const taken2 = await t.gql(CREATE_LISTING, { input: { sellerSku: taken.listing.sellerSku } });
      expect(taken2.data.createListing.reason).toBe('is already used by another listing');
    });

    it('updateListing patches descriptive fields only, keeps omitted ones, clears with ""', async () => {
      const created = await newListing({ description: 'Old', category: 'Home', priceIncVat: '10.00', availableQuantity: 4 });
      const listingId = gid('Listing', created.listing.databaseId);
      const r = await t.gql(UPDATE_LISTING, { input: { id: listingId, title: 'New title', description: '', status: 'INACTIVE', fulfillmentChannel: 'FBA' } });
      expect(r.data.updateListing.__typename).toBe('ListingPayload');
      expect(r.data.updateListing.listing).toMatchObject({
        title: 'New title',
        description: null,
        category: 'Home',
        status: 'INACTIVE',
        statusRaw: 'inactive',
        fulfillmentChannel: 'FBA',
        priceIncVat: '10.00',
        availableQuantity: 4,
      });
      expect(r.data.updateListing.listingEvent).toBeNull();

      const archivedStatus = await t.gql(UPDATE_LISTING, { input: { id: listingId, status: 'ARCHIVED' } });
      expect(archivedStatus.data.updateListing).toMatchObject({ __typename: 'ValidationError', field: 'status' });
      // Price is not an input of updateListing at all.
      const price = await t.gql(UPDATE_LISTING, { input: { id: listingId, priceIncVat: '12.00' } });
      expect(price.errors?.[0]?.message).toMatch(/priceIncVat/);
      const nothing = await t.gql(UPDATE_LISTING, { input: { id: listingId } });
      expect(nothing.data.updateListing).toMatchObject({ __typename: 'ValidationError', field: 'input' });
      const missing = await t.gql(UPDATE_LISTING, { input: { id: gid('Listing', 999_999), title: 'x' } });
      expect(missing.data.updateListing).toMatchObject({ __typename: 'NotFoundError', entityType: 'Listing' });
      const wrongType = await t.gql(UPDATE_LISTING, { input: { id: gid('Component', created.listing.databaseId), title: 'x' } });
      expect(wrongType.data.updateListing).toMatchObject({ __typename: 'ValidationError', field: 'id' });
    });

    it('archiveListing records LISTING_ARCHIVED {status} → {status: "archived"} and is refused twice and for updates', async () => {
      const created = await newListing({ status: 'INACTIVE' });
      const listingId = gid('Listing', created.listing.databaseId);
      const r = await t.gql(ARCHIVE_LISTING, { input: { id: listingId, reason: 'discontinued' } });
      expect(r.data.archiveListing.listing).toMatchObject({ status: 'ARCHIVED', statusRaw: 'archived' });
      expect(r.data.archiveListing.listingEvent).toMatchObject({
        eventType: 'LISTING_ARCHIVED',
        beforeJson: { status: 'inactive' },
        afterJson: { status: 'archived' },
        reason: 'discontinued',
        createdBy: 'key:test-admin',
      });
      const again = await t.gql(ARCHIVE_LISTING, { input: { id: listingId } });
      expect(again.data.archiveListing).toMatchObject({ __typename: 'InvalidTransitionError', currentStatus: 'archived', attemptedAction: 'ARCHIVE' });
      const update = await t.gql(UPDATE_LISTING, { input: { id: listingId, title: 'revived?' } });
      expect(update.data.updateListing).toMatchObject({ __typename: 'InvalidTransitionError', currentStatus: 'archived' });
      const events = await t.db.prisma.listingEvent.findMany({ where: { listingId: created.listing.databaseId }, orderBy: { id: 'asc' } });
      expect(events.map((e) => e.eventType)).toEqual(['LISTING_CREATED', 'LISTING_ARCHIVED']);
    });

    it('legacy status and channel values read as OTHER with the stored text kept in the …Raw fields', async () => {
      const created = await newListing();
      await t.db.prisma.listing.update({ where: { id: created.listing.databaseId }, data: { status: 'Discontinued', fulfillmentChannel: 'AFN' } });
      const r = await t.gql(`query($id: ID!) { listing(id: $id) { ${LISTING_FIELDS} } }`, { id: gid('Listing', created.listing.databaseId) });
      expect(r.errors).toBeUndefined();
      expect(r.data.listing).toMatchObject({ status: 'OTHER', statusRaw: 'Discontinued', fulfillmentChannel: 'OTHER', fulfillmentChannelRaw: 'AFN' });
      expect(await t.db.prisma.listing.findUniqueOrThrow({ where: { id: created.listing.databaseId } })).toMatchObject({ status: 'Discontinued' });
    });

    it('nodeByDatabaseId finds an object from its integer key; unknown or mistyped gives null, like node', async () => {
      const created = await newListing();
      const databaseId = created.listing.databaseId;
      const lookup = `query($type: NodeType!, $databaseId: Int!) { nodeByDatabaseId(type: $type, databaseId: $databaseId) { __typename id ... on Listing { databaseId sellerSku } } }`;
      const found = await t.gql(lookup, { type: 'Listing', databaseId });
      expect(found.errors).toBeUndefined();
      expect(found.data.nodeByDatabaseId).toEqual({ __typename: 'Listing', id: gid('Listing', databaseId), databaseId, sellerSku: created.listing.sellerSku });
      expect((await t.gql(lookup, { type: 'Listing', databaseId: 2_000_000_000 })).data.nodeByDatabaseId).toBeNull();
      expect((await t.gql(lookup, { type: 'Supplier', databaseId: 2_000_000_000 })).data.nodeByDatabaseId).toBeNull();
      expect((await t.gql(lookup, { type: 'Listing', databaseId: -1 })).data.nodeByDatabaseId).toBeNull();
    });

    it('an idempotency key replays createListing instead of failing on the taken SKU', async () => {
      const input = { sellerSku: nextSku('IDEM'), title: 'Once', idempotencyKey: `create-listing-${kind}` };
      const first = (await t.gql(CREATE_LISTING, { input })).data.createListing;
      const again = (await t.gql(CREATE_LISTING, { input })).data.createListing;
      expect(first.replayed).toBe(false);
      expect(again).toMatchObject({ __typename: 'ListingPayload', replayed: true, listing: { databaseId: first.listing.databaseId } });
      expect(again.listingEvent.databaseId).toBe(first.listingEvent.databaseId);
      expect(await t.db.prisma.listing.count({ where: { sellerSku: input.sellerSku } })).toBe(1);
      const reused = (await t.gql(CREATE_LISTING, { input: { ...input, title: 'Twice' } })).data.createListing;
      expect(reused.__typename).toBe('IdempotencyKeyReuseError');
    });
  });

  describe('suppliers and components', () => {
    it('supplier create / update (patch) / deactivate, with field-named validation errors', async () => {
      const created = (await t.gql(CREATE_SUPPLIER, {
        input: { name: 'Acme Packaging', email: 'orders@acme.example', currencyCode: 'eur', leadTimeDays: 21, minimumOrderValue: '250.00', rating: 4 },
      })).data.createSupplier;
      expect(created.supplier).toMatchObject({
        name: 'Acme Packaging',
        email: 'orders@acme.example',
        currencyCode: 'EUR',
        leadTimeDays: 21,
        minimumOrderValue: '250.00',
        rating: 4,
        isActive: true,
      });
      const id = gid('Supplier', created.supplier.databaseId);
      const updated = (await t.gql(UPDATE_SUPPLIER, { input: { id, leadTimeDays: 10, email: '' } })).data.updateSupplier;
      expect(updated.supplier).toMatchObject({ name: 'Acme Packaging', email: null, leadTimeDays: 10, rating: 4, currencyCode: 'EUR' });

      const invalid: Array<[string, Record<string, unknown>, string]> = [
        [CREATE_SUPPLIER, { name: '' }, 'name'],
        [CREATE_SUPPLIER, { name: 'X', rating: 6 }, 'rating'],
        [CREATE_SUPPLIER, { name: 'X', rating: 0 }, 'rating'],
        [CREATE_SUPPLIER, { name: 'X', email: 'not-an-email' }, 'email'],
        [CREATE_SUPPLIER, { name: 'X', currencyCode: 'POUND' }, 'currencyCode'],
        [CREATE_SUPPLIER, { name: 'X', leadTimeDays: -1 }, 'leadTimeDays'],
        [CREATE_SUPPLIER, { name: 'X', minimumOrderValue: '-0.01' }, 'minimumOrderValue'],
        [UPDATE_SUPPLIER, { id, phone: 'x'.repeat(51) }, 'phone'],
        [UPDATE_SUPPLIER, { id, name: '   ' }, 'name'],
      ];
      for (const [query, input, field] of invalid) {
        const r = await t.gql(query, { input });
        const result = r.data?.createSupplier ?? r.data?.updateSupplier;
        expect(result, JSON.stringify(input)).toMatchObject({ __typename: 'ValidationError', field });
      }

      const deactivated = (await t.gql(DEACTIVATE_SUPPLIER, { input: { id } })).data.deactivateSupplier;
      expect(deactivated.supplier.isActive).toBe(false);
      const twice = (await t.gql(DEACTIVATE_SUPPLIER, { input: { id } })).data.deactivateSupplier;
      expect(twice).toMatchObject({ __typename: 'InvalidTransitionError', currentStatus: 'inactive', attemptedAction: 'DEACTIVATE' });
      const missing = (await t.gql(UPDATE_SUPPLIER, { input: { id: gid('Supplier', 999_999), name: 'Y' } })).data.updateSupplier;
      expect(missing).toMatchObject({ __typename: 'NotFoundError', entityType: 'Supplier' });
    });

    it('component create / update / deactivate; a taken componentSku is a ValidationError on componentSku', async () => {
      const supplier = (await t.gql(CREATE_SUPPLIER, { input: { name: 'Widget Works' } })).data.createSupplier.supplier;
      const sku = nextSku('CMP');
      const created = (await t.gql(CREATE_COMPONENT, {
        input: { componentSku: sku, name: 'Mug blank', unitCostExVat: '1.20', supplierId: gid('Supplier', supplier.databaseId), packSize: 6 },
      })).data.createComponent;
      expect(created.component).toMatchObject({
        componentSku: sku,
        name: 'Mug blank',
        category: 'General',
        unitCostExVat: '1.20',
        packSize: 6,
        isActive: true,
        supplier: { databaseId: supplier.databaseId, name: 'Widget Works' },
      });
      const id = gid('Component', created.component.databaseId);

      const dup = (await t.gql(CREATE_COMPONENT, { input: { componentSku: sku, name: 'Other' } })).data.createComponent;
      expect(dup).toMatchObject({ __typename: 'ValidationError', field: 'componentSku', reason: 'is already used by another component' });
      const other = (await t.gql(CREATE_COMPONENT, { input: { componentSku: nextSku('CMP'), name: 'Other' } })).data.createComponent;
      const renameClash = (await t.gql(UPDATE_COMPONENT, { input: { id: gid('Component', other.component.databaseId), componentSku: sku } })).data
        .updateComponent;
      expect(renameClash).toMatchObject({ __typename: 'ValidationError', field: 'componentSku' });

      const updated = (await t.gql(UPDATE_COMPONENT, { input: { id, unitCostExVat: '1.35', supplierId: '' } })).data.updateComponent;
      expect(updated.component).toMatchObject({ name: 'Mug blank', unitCostExVat: '1.35', packSize: 6, supplier: null });
      const row = await t.db.prisma.component.findUniqueOrThrow({ where: { id: created.component.databaseId } });
      expect(row.priceHistory).toEqual([
        { unit_cost_ex_vat: '1.20', changed_at: '2026-03-15' },
        { unit_cost_ex_vat: '1.35', changed_at: '2026-03-15' },
      ]);

      const invalid: Array<[string, Record<string, unknown>, string]> = [
        [CREATE_COMPONENT, { componentSku: '', name: 'X' }, 'componentSku'],
        [CREATE_COMPONENT, { componentSku: nextSku('CMP'), name: '' }, 'name'],
        [CREATE_COMPONENT, { componentSku: nextSku('CMP'), name: 'X', unitCostExVat: '-0.50' }, 'unitCostExVat'],
        [CREATE_COMPONENT, { componentSku: nextSku('CMP'), name: 'X', packSize: 0 }, 'packSize'],
        [CREATE_COMPONENT, { componentSku: nextSku('CMP'), name: 'X', supplierId: gid('Supplier', 999_999) }, 'supplierId'],
        [UPDATE_COMPONENT, { id, currentStock: -1 }, 'currentStock'],
        [UPDATE_COMPONENT, { id, weightGrams: '1.001' }, 'weightGrams'],
      ];
      for (const [query, input, field] of invalid) {
        const r = await t.gql(query, { input });
        const result = r.data?.createComponent ?? r.data?.updateComponent;
        expect(result, JSON.stringify(input)).toMatchObject({ __typename: 'ValidationError', field });
      }

      const deactivated = (await t.gql(DEACTIVATE_COMPONENT, { input: { id } })).data.deactivateComponent;
      expect(deactivated.component.isActive).toBe(false);
      const twice = (await t.gql(DEACTIVATE_COMPONENT, { input: { id } })).data.deactivateComponent;
      expect(twice.__typename).toBe('InvalidTransitionError');
      const missing = (await t.gql(DEACTIVATE_COMPONENT, { input: { id: gid('Component', 999_999) } })).data.deactivateComponent;
      expect(missing).toMatchObject({ __typename: 'NotFoundError', entityType: 'Component' });
    });
  });

  describe('cost overrides', () => {
    it('upsertCostOverride has patch semantics and records COST_OVERRIDE_UPDATED old four → new four', async () => {
      const created = await newListing();
      const listingId = gid('Listing', created.listing.databaseId);
      const first = (await t.gql(UPSERT_OVERRIDE, { input: { listingId, shippingCostExVat: '2.00', packagingCostExVat: '0.50' } })).data
        .upsertCostOverride;
      expect(first.costOverride).toMatchObject({ shippingCostExVat: '2.00', packagingCostExVat: '0.50', handlingCostExVat: '0.00', otherCostExVat: '0.00' });
      expect(first.listingEvent).toMatchObject({
        eventType: 'COST_OVERRIDE_UPDATED',
        beforeJson: { shipping_cost_ex_vat: '0.00', packaging_cost_ex_vat: '0.00', handling_cost_ex_vat: '0.00', other_cost_ex_vat: '0.00' },
        afterJson: { shipping_cost_ex_vat: '2.00', packaging_cost_ex_vat: '0.50', handling_cost_ex_vat: '0.00', other_cost_ex_vat: '0.00' },
        createdBy: 'key:test-admin',
      });

      // Only handling given: shipping and packaging stay (the REF bug zeroed them).
      const second = (await t.gql(UPSERT_OVERRIDE, { input: { listingId, handlingCostExVat: '0.75', notes: 'bubble wrap' } })).data.upsertCostOverride;
      expect(second.costOverride).toMatchObject({ shippingCostExVat: '2.00', packagingCostExVat: '0.50', handlingCostExVat: '0.75', otherCostExVat: '0.00', notes: 'bubble wrap' });
      expect(second.listingEvent.beforeJson).toEqual({
        shipping_cost_ex_vat: '2.00',
        packaging_cost_ex_vat: '0.50',
        handling_cost_ex_vat: '0.00',
        other_cost_ex_vat: '0.00',
      });
      expect(second.listingEvent.afterJson).toEqual({
        shipping_cost_ex_vat: '2.00',
        packaging_cost_ex_vat: '0.50',
        handling_cost_ex_vat: '0.75',
        other_cost_ex_vat: '0.00',
      });
      // Explicit zero is a value, not "omitted".
      const third = (await t.gql(UPSERT_OVERRIDE, { input: { listingId, shippingCostExVat: '0' } })).data.upsertCostOverride;
      expect(third.costOverride).toMatchObject({ shippingCostExVat: '0.00', packagingCostExVat: '0.50', handlingCostExVat: '0.75' });
      expect(await t.db.prisma.listingCostOverride.count({ where: { listingId: created.listing.databaseId } })).toBe(1);
      const events = await t.db.prisma.listingEvent.count({ where: { listingId: created.listing.databaseId, eventType: 'COST_OVERRIDE_UPDATED' } });
      expect(events).toBe(3);
    });

    // Sent one after another (PGlite has one connection); the real race is in concurrency.test.ts.
    it('four upserts of different costs in turn (the first creates the row) merge into one row, each with its event', async () => {
      const created = await newListing();
      const listingId = gid('Listing', created.listing.databaseId);
      const inputs = [
        { listingId, shippingCostExVat: '1.10' },
        { listingId, packagingCostExVat: '0.20' },
        { listingId, handlingCostExVat: '0.30' },
        { listingId, otherCostExVat: '0.40' },
      ];
      const results = [];
      for (const input of inputs) results.push(await t.gql(UPSERT_OVERRIDE, { input }));
      for (const r of results) expect(r.data?.upsertCostOverride?.__typename, JSON.stringify(r.errors)).toBe('UpsertCostOverridePayload');
      const row = await t.db.prisma.listingCostOverride.findUniqueOrThrow({ where: { listingId: created.listing.databaseId } });
      expect([row.shippingCostExVat, row.packagingCostExVat, row.handlingCostExVat, row.otherCostExVat].map((d) => d!.toFixed(2))).toEqual([
        '1.10',
        '0.20',
        '0.30',
        '0.40',
      ]);
      const events = await t.db.prisma.listingEvent.findMany({
        where: { listingId: created.listing.databaseId, eventType: 'COST_OVERRIDE_UPDATED' },
        orderBy: { id: 'asc' },
      });
      expect(events).toHaveLength(4);
      // Each event's "before" is the previous event's "after".
      for (let i = 1; i < events.length; i++) expect(events[i]!.beforeJson).toEqual(events[i - 1]!.afterJson);
      expect(events[3]!.afterJson).toEqual({ shipping_cost_ex_vat: '1.10', packaging_cost_ex_vat: '0.20', handling_cost_ex_vat: '0.30', other_cost_ex_vat: '0.40' });
    });

    it('rejects negative, over-precise and empty inputs, and unknown listings', async () => {
      const created = await newListing();
      const listingId = gid('Listing', created.listing.databaseId);
      const neg = (await t.gql(UPSERT_OVERRIDE, { input: { listingId, otherCostExVat: '-0.01' } })).data.upsertCostOverride;
      expect(neg).toMatchObject({ __typename: 'ValidationError', field: 'otherCostExVat', reason: 'must be ≥ 0' });
      const precise = (await t.gql(UPSERT_OVERRIDE, { input: { listingId, shippingCostExVat: '1.005' } })).data.upsertCostOverride;
      expect(precise).toMatchObject({ __typename: 'ValidationError', field: 'shippingCostExVat' });
      const empty = (await t.gql(UPSERT_OVERRIDE, { input: { listingId } })).data.upsertCostOverride;
      expect(empty).toMatchObject({ __typename: 'ValidationError', field: 'input' });
      const missing = (await t.gql(UPSERT_OVERRIDE, { input: { listingId: gid('Listing', 999_999), shippingCostExVat: '1' } })).data.upsertCostOverride;
      expect(missing).toMatchObject({ __typename: 'NotFoundError', entityType: 'Listing' });
      expect(await t.db.prisma.listingCostOverride.count({ where: { listingId: created.listing.databaseId } })).toBe(0);
      expect(await t.db.prisma.listingEvent.count({ where: { listingId: created.listing.databaseId, eventType: 'COST_OVERRIDE_UPDATED' } })).toBe(0);
    });
  });

  describe('guardrail settings', () => {
    it('writes the given rows and validates every range, naming the field', async () => {
      const r = await t.gql(UPDATE_SETTINGS, { input: { minMargin: '0.2', minStockThreshold: 8, allowPriceBelowBreakEven: true } });
      const p = r.data.updateGuardrailSettings;
      expect(p.__typename).toBe('UpdateGuardrailSettingsPayload');
      expect(p.updated).toEqual([
        { key: 'guardrails.allow_price_below_break_even', value: true },
        { key: 'guardrails.min_margin', value: 0.2 },
        { key: 'guardrails.min_stock_threshold', value: 8 },
      ]);
      const all = Object.fromEntries(p.settings.map((s: { key: string; value: unknown }) => [s.key, s.value]));
      expect(all).toEqual({
        default_vat_rate: 0.2,
        'guardrails.allow_price_below_break_even': true,
        'guardrails.max_price_change_pct_per_day': 0.05,
        'guardrails.min_days_of_cover_before_price_change': 7,
        'guardrails.min_margin': 0.2,
        'guardrails.min_stock_threshold': 8,
      });
      const read = await t.gql('{ settings { guardrails { minMargin minStockThreshold allowPriceBelowBreakEven maxPriceChangePctPerDay } } }');
      expect(read.data.settings.guardrails).toEqual({ minMargin: '0.2', minStockThreshold: 8, allowPriceBelowBreakEven: true, maxPriceChangePctPerDay: '0.05' });

      const invalid: Array<[Record<string, unknown>, string]> = [
        [{ minMargin: '1' }, 'minMargin'],
        [{ minMargin: '-0.01' }, 'minMargin'],
        [{ maxPriceChangePctPerDay: '0' }, 'maxPriceChangePctPerDay'],
        [{ maxPriceChangePctPerDay: '1.5' }, 'maxPriceChangePctPerDay'],
        [{ minDaysOfCoverBeforePriceChange: -1 }, 'minDaysOfCoverBeforePriceChange'],
        [{ minStockThreshold: -3 }, 'minStockThreshold'],
        [{ defaultVatRate: '1' }, 'defaultVatRate'],
        [{}, 'input'],
        // A valid field next to an invalid one is refused with it, not written alone.
        [{ minStockThreshold: 9, defaultVatRate: '1.2' }, 'defaultVatRate'],
      ];
      const settingsRows = () => t.db.prisma.setting.findMany({ orderBy: { key: 'asc' } });
      const beforeRefused = await settingsRows();
      for (const [input, field] of invalid) {
        const res = await t.gql(UPDATE_SETTINGS, { input });
        expect(res.data?.updateGuardrailSettings, JSON.stringify(input)).toMatchObject({ __typename: 'ValidationError', field });
      }
      // Nothing of the refused calls was written: the rows are exactly as before them.
      expect(await settingsRows()).toEqual(beforeRefused);
      // Restore the seeded values for other tests.
      const restore = await t.gql(UPDATE_SETTINGS, { input: { minMargin: '0.15', minStockThreshold: 5, allowPriceBelowBreakEven: false } });
      expect(restore.data.updateGuardrailSettings.updated.map((s: { value: unknown }) => s.value)).toEqual([false, 0.15, 5]);
    });
  });

  describe('requestListingEnrichment', () => {
    it('queues offer, catalog and Keepa syncs for a listing with an ASIN, reusing identical PENDING jobs', async () => {
      const created = await newListing({ asin: 'B0ENRICH01', marketplaceId: gid('Marketplace', gbId) });
      const listingDbId = created.listing.databaseId;
      const listingId = gid('Listing', listingDbId);
      const first = (await t.gql(ENRICH, { input: { listingId } })).data.requestListingEnrichment;
      expect(first.__typename).toBe('RequestListingEnrichmentPayload');
      expect(first.jobs.map((j: { jobType: string; created: boolean }) => [j.jobType, j.created])).toEqual([
        ['SYNC_AMAZON_OFFER', true],
        ['SYNC_AMAZON_CATALOG', true],
        ['SYNC_KEEPA_ASIN', true],
      ]);
      expect(first.jobs[0].job).toMatchObject({ status: 'PENDING', priority: 5, createdBy: 'key:test-admin', inputJson: { listing_id: listingDbId, asins: ['B0ENRICH01'] } });
      expect(first.jobs[1].job.inputJson).toEqual({ listing_id: listingDbId, asin: 'B0ENRICH01', marketplace_id: gbId });
      expect(first.jobs[2].job.inputJson).toEqual({ listing_id: listingDbId, asin: 'B0ENRICH01', marketplace_id: gbId });

      const second = (await t.gql(ENRICH, { input: { listingId } })).data.requestListingEnrichment;
      expect(second.jobs.map((j: { created: boolean }) => j.created)).toEqual([false, false, false]);
      expect(second.jobs.map((j: { job: { databaseId: number } }) => j.job.databaseId)).toEqual(
        first.jobs.map((j: { job: { databaseId: number } }) => j.job.databaseId),
      );
      // Once the Keepa job ran, a new one is queued; the pending ones are still reused.
      await t.db.prisma.job.update({ where: { id: first.jobs[2].job.databaseId }, data: { status: 'SUCCEEDED' } });
      const third = (await t.gql(ENRICH, { input: { listingId } })).data.requestListingEnrichment;
      expect(third.jobs.map((j: { created: boolean }) => j.created)).toEqual([false, false, true]);

      const jobs = await t.db.prisma.job.findMany({ where: { listingId: listingDbId } });
      expect(jobs.map((j) => j.jobType).sort()).toEqual(['SYNC_AMAZON_CATALOG', 'SYNC_AMAZON_OFFER', 'SYNC_KEEPA_ASIN', 'SYNC_KEEPA_ASIN']);
      expect(jobs.some((j) => j.jobType === 'SYNC_AMAZON_SALES')).toBe(false);
    });

    // Sent one after another (PGlite has one connection); the real race is in concurrency.test.ts.
    it('four requests in turn queue each sync once (the first creates, the others reuse)', async () => {
      const created = await newListing({ asin: 'B0CONCUR01', marketplaceId: gid('Marketplace', gbId) });
      const listingId = gid('Listing', created.listing.databaseId);
      const results = [];
      for (let i = 0; i < 4; i++) results.push(await t.gql(ENRICH, { input: { listingId } }));
      for (const r of results) expect(r.data?.requestListingEnrichment?.__typename, JSON.stringify(r.errors)).toBe('RequestListingEnrichmentPayload');
      const createdPerCall = results.map((r) => r.data.requestListingEnrichment.jobs.filter((j: { created: boolean }) => j.created).length);
      expect(createdPerCall).toEqual([3, 0, 0, 0]);
      const jobs = await t.db.prisma.job.findMany({ where: { listingId: created.listing.databaseId } });
      expect(jobs.map((j) => j.jobType).sort()).toEqual(['SYNC_AMAZON_CATALOG', 'SYNC_AMAZON_OFFER', 'SYNC_KEEPA_ASIN']);
    });

    it('without an ASIN only the offer sync is queued; archived and unknown listings are refused', async () => {
      const plain = await newListing();
      const r = (await t.gql(ENRICH, { input: { listingId: gid('Listing', plain.listing.databaseId) } })).data.requestListingEnrichment;
      expect(r.jobs.map((j: { jobType: string }) => j.jobType)).toEqual(['SYNC_AMAZON_OFFER']);
      expect(r.jobs[0].job.inputJson).toEqual({ listing_id: plain.listing.databaseId, seller_sku: plain.listing.sellerSku });

      const archived = await newListing({ asin: 'B0ARCHIVE1' });
      await t.gql(ARCHIVE_LISTING, { input: { id: gid('Listing', archived.listing.databaseId) } });
      const refused = (await t.gql(ENRICH, { input: { listingId: gid('Listing', archived.listing.databaseId) } })).data.requestListingEnrichment;
      expect(refused).toMatchObject({ __typename: 'InvalidTransitionError', currentStatus: 'archived' });
      expect(await t.db.prisma.job.count({ where: { listingId: archived.listing.databaseId } })).toBe(0);
      const missing = (await t.gql(ENRICH, { input: { listingId: gid('Listing', 999_999) } })).data.requestListingEnrichment;
      expect(missing).toMatchObject({ __typename: 'NotFoundError', entityType: 'Listing' });
    });
  });
});
