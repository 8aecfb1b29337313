import { GraphQLError } from 'graphql';
import { ValidationError } from '../domain/errors.js';
import {
  FULFILLMENT_CHANNEL_VALUES,
  LISTING_STATUS_VALUES,
  storedStatusesFor,
  type FulfillmentChannelName,
  type ListingStatusName,
} from '../domain/listing-enums.js';
import { builder } from './builder.js';

export { fulfillmentChannelOf, listingStatusOf } from '../domain/listing-enums.js';

/**
 * Listing status and fulfilment channel as GraphQL enums over free-text columns; the mapping of
 * stored text to names is src/domain/listing-enums.ts. Nothing is rewritten or rejected on read
 * (docs/schema-decisions.md, "Enums over legacy text columns").
 */

export const ListingStatusEnum = builder.enumType('ListingStatus', {
  description: 'Lifecycle of a listing (listings.status). Stored values map exactly; any other stored text is OTHER (see statusRaw).',
  values: {
    ACTIVE: { description: 'Stored "active": on sale; the default for a new listing.' },
    INACTIVE: { description: 'Stored "inactive": kept but not on sale.' },
    ARCHIVED: { description: 'Stored "archived": retired by archiveListing; no publishes or recommendations.' },
    OTHER: { description: 'A legacy value outside the three above, kept as stored; read it from statusRaw. Not accepted as input.' },
  } as const,
});

export const FulfillmentChannelEnum = builder.enumType('FulfillmentChannel', {
  description: 'Who ships the order (fulfillment_channel). Stored values map exactly; any other stored text is OTHER (see the …Raw field).',
  values: {
    FBA: { description: 'Fulfilled by Amazon: Amazon holds the stock, so stock publishes are refused.' },
    FBM: { description: 'Fulfilled by the merchant; the default for a new listing.' },
    OTHER: { description: 'A legacy value outside FBA/FBM, kept as stored; read it from the …Raw field. Not accepted as input.' },
  } as const,
});

/** The stored value an input enum stands for; OTHER names no value, so it is refused as input. */
export function storedListingStatus(name: ListingStatusName | null | undefined): string | null | undefined {
  if (name === null || name === undefined) return name;
  if (name === 'OTHER') throw new ValidationError('status', 'OTHER is not accepted as input: give ACTIVE or INACTIVE');
  return LISTING_STATUS_VALUES[name];
}
export function storedFulfillmentChannel(name: FulfillmentChannelName | null | undefined): string | null | undefined {
  if (name === null || name === undefined) return name;
  if (name === 'OTHER') throw new ValidationError('fulfillmentChannel', 'OTHER is not accepted as input: give FBA or FBM');
  return FULFILLMENT_CHANNEL_VALUES[name];
}

/**
 * The stored values a `status` filter matches: the known ones by name, legacy text by `statusRaw`
 * (both given: a row must satisfy both, as with every other filter field).
 */
export function statusFilterValues(names: readonly ListingStatusName[] | null | undefined, raw: readonly string[] | null | undefined): string[] | null {
  if (names?.includes('OTHER')) {
    throw new GraphQLError('filter.status: OTHER names no single stored value; filter legacy values with statusRaw', {
      extensions: { code: 'BAD_USER_INPUT', argument: 'listings.filter.status' },
    });
  }
  return storedStatusesFor(names, raw);
}
