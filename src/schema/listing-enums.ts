import { GraphQLError } from 'graphql';
import { ValidationError } from '../domain/errors.js';
import { builder } from './builder.js';

/**
 * Listing status and fulfilment channel as enums over free-text columns (listings.status
 * varchar(50), listings.fulfillment_channel varchar(20), fee_snapshots.fulfillment_channel).
 * The columns keep whatever a legacy database holds: known values map exactly (no case folding,
 * so what the enum shows is what a filter finds); anything else reads as OTHER and the stored text
 * stays readable in the `…Raw` field. Nothing is rewritten or rejected on read
 * (docs/schema-decisions.md, "Enums over legacy text columns").
 */

export const LISTING_STATUS_VALUES = { ACTIVE: 'active', INACTIVE: 'inactive', ARCHIVED: 'archived' } as const;
export const FULFILLMENT_CHANNEL_VALUES = { FBA: 'FBA', FBM: 'FBM' } as const;

export type ListingStatusName = keyof typeof LISTING_STATUS_VALUES | 'OTHER';
export type FulfillmentChannelName = keyof typeof FULFILLMENT_CHANNEL_VALUES | 'OTHER';

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

function nameOf<T extends Record<string, string>>(values: T, stored: string | null): keyof T | 'OTHER' | null {
  if (stored === null) return null;
  const found = (Object.keys(values) as Array<keyof T>).find((name) => values[name] === stored);
  return found ?? 'OTHER';
}

/** The enum name for a stored status; null when the column is NULL. */
export const listingStatusOf = (stored: string | null) => nameOf(LISTING_STATUS_VALUES, stored) as ListingStatusName | null;
export const fulfillmentChannelOf = (stored: string | null) => nameOf(FULFILLMENT_CHANNEL_VALUES, stored) as FulfillmentChannelName | null;

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
  const known = names ? names.map((name) => LISTING_STATUS_VALUES[name as keyof typeof LISTING_STATUS_VALUES]) : null;
  if (known && raw) return known.filter((value) => raw.includes(value));
  return known ?? (raw ? [...raw] : null);
}
