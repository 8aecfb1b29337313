import type { PrismaClient } from '../../src/generated/prisma/client.js';

/** Small deterministic fixtures for the mutation tests, written with Prisma on a migrated database. */

export { gid } from '../support/global-id.js';

let counter = 0;
const unique = (prefix: string) => `${prefix}-${process.pid}-${++counter}`;

export interface ListingFixture {
  listingId: number;
  componentIds: number[];
}

/**
 * Worked example A of DOMAIN §1.6: price 24.00 (offer), BOM cost 6.00 (2 × 3.00), shipping 2.00,
 * packaging 0.50, FBM, VAT 0.20; quantity `quantity`, no sales (days of cover unknown).
 */
export async function createListing(prisma: PrismaClient, options: { price?: string; quantity?: number; components?: number } = {}): Promise<ListingFixture> {
  const marketplace =
    (await prisma.marketplace.findFirst({ where: { amazonMarketplaceId: 'TESTUK' } })) ??
    (await prisma.marketplace.create({ data: { amazonMarketplaceId: 'TESTUK', name: 'Test UK', countryCode: 'GB', vatRate: '0.20' } }));
  const price = options.price ?? '24.00';
  const quantity = options.quantity ?? 30;
  const listing = await prisma.listing.create({
    data: {
      sellerSku: unique('SKU'),
      asin: unique('B0').slice(0, 20),
      title: 'Fixture listing',
      priceIncVat: price,
      availableQuantity: quantity,
      marketplaceId: marketplace.id,
      fulfillmentChannel: 'FBM',
    },
  });
  await prisma.listingOfferCurrent.create({ data: { listingId: listing.id, priceIncVat: price, availableQuantity: quantity } });
  await prisma.listingCostOverride.create({ data: { listingId: listing.id, shippingCostExVat: '2.00', packagingCostExVat: '0.50' } });
  const componentIds: number[] = [];
  const costs = ['3.00', '1.50', '0.25', '2.00'];
  for (let i = 0; i < (options.components ?? 3); i++) {
    const component = await prisma.component.create({ data: { componentSku: unique('CMP'), name: `Component ${i}`, unitCostExVat: costs[i % costs.length]! } });
    componentIds.push(component.id);
  }
  return { listingId: listing.id, componentIds };
}

export async function createAsinEntity(prisma: PrismaClient, listingId: number | null = null): Promise<number> {
  const marketplace = await prisma.marketplace.findFirstOrThrow({ where: { amazonMarketplaceId: 'TESTUK' } });
  const entity = await prisma.asinEntity.create({ data: { asin: unique('A').slice(0, 20), marketplaceId: marketplace.id, listingId } });
  return entity.id;
}

export interface RecFixture {
  listingId: number;
  type?:
    | 'PRICE_DECREASE_REGAIN_BUYBOX'
    | 'PRICE_INCREASE_MARGIN_OPPORTUNITY'
    | 'STOCK_INCREASE_STOCKOUT_RISK'
    | 'MARGIN_AT_RISK_COMPONENT_COST';
  payload?: Record<string, unknown>;
  status?: 'PENDING' | 'SNOOZED' | 'ACCEPTED' | 'REJECTED' | 'EXPIRED' | 'SUPERSEDED';
  generatedAt: Date;
  expiresAt?: Date | null;
  snoozedUntil?: Date | null;
}

export async function createRecommendation(prisma: PrismaClient, fixture: RecFixture): Promise<number> {
  const rec = await prisma.recommendation.create({
    data: {
      recommendationType: fixture.type ?? 'PRICE_INCREASE_MARGIN_OPPORTUNITY',
      entityType: 'LISTING',
      entityId: fixture.listingId,
      status: fixture.status ?? 'PENDING',
      actionPayloadJson: (fixture.payload ?? {
        action: 'CHANGE_PRICE',
        suggested_price_inc_vat: '25.00',
        current_price_inc_vat: '24.00',
        price_change: '1.00',
      }) as object,
      evidenceJson: {},
      impactJson: {},
      generatedAt: fixture.generatedAt,
      expiresAt: fixture.expiresAt === undefined ? new Date(fixture.generatedAt.getTime() + 7 * 86_400_000) : fixture.expiresAt,
      snoozedUntil: fixture.snoozedUntil ?? null,
    },
  });
  await prisma.recommendationEvent.create({ data: { recommendationId: rec.id, eventType: 'GENERATED', createdAt: fixture.generatedAt } });
  return rec.id;
}

const ERROR_FRAGMENTS: Record<string, string> = {
  ValidationError: '... on ValidationError { field reason }',
  NotFoundError: '... on NotFoundError { entityType id }',
  InvalidTransitionError: '... on InvalidTransitionError { currentStatus attemptedAction }',
  GuardrailViolationError: '... on GuardrailViolationError { violations { rule severity threshold actual message } }',
  DuplicateJobError: '... on DuplicateJobError { jobType listingDatabaseId existingJobDatabaseId }',
  IdempotencyKeyReuseError: '... on IdempotencyKeyReuseError { idempotencyKey firstOperation }',
  ConflictError: '... on ConflictError { retryable }',
  EmptyBomError: '... on EmptyBomError { bomId bomDatabaseId }',
};

/** Selection of the error members a result union has (GraphQL refuses fragments on other types). */
export function errorFields(types: string[]): string {
  return ['__typename', '... on Error { message code }', ...types.map((type) => ERROR_FRAGMENTS[type]!)].join('\n');
}

export const BOM_ERROR_FIELDS = errorFields(['ValidationError', 'NotFoundError', 'IdempotencyKeyReuseError', 'ConflictError', 'EmptyBomError']);
export const TRANSITION_ERROR_FIELDS = errorFields(['ValidationError', 'NotFoundError', 'InvalidTransitionError', 'IdempotencyKeyReuseError', 'ConflictError']);
export const ACCEPT_ERROR_FIELDS = errorFields([
  'ValidationError',
  'NotFoundError',
  'InvalidTransitionError',
  'GuardrailViolationError',
  'DuplicateJobError',
  'IdempotencyKeyReuseError',
  'ConflictError',
]);
