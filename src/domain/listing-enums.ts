/**
 * Listing status and fulfilment channel: the names the API shows for the free text the columns
 * hold (listings.status, listings.fulfillment_channel, fee_snapshots.fulfillment_channel). Known
 * values map exactly (no case folding, so what the enum shows is what a filter finds); anything
 * else is OTHER and stays readable as stored (docs/schema-decisions.md, "Enums over legacy text
 * columns"). One home for the mapping: the resolvers' fields and the compiled read path use it.
 */
export const LISTING_STATUS_VALUES = { ACTIVE: 'active', INACTIVE: 'inactive', ARCHIVED: 'archived' } as const;
export const FULFILLMENT_CHANNEL_VALUES = { FBA: 'FBA', FBM: 'FBM' } as const;

export type ListingStatusName = keyof typeof LISTING_STATUS_VALUES | 'OTHER';
export type FulfillmentChannelName = keyof typeof FULFILLMENT_CHANNEL_VALUES | 'OTHER';

function nameOf<T extends Record<string, string>>(values: T, stored: string | null): keyof T | 'OTHER' | null {
  if (stored === null) return null;
  const found = (Object.keys(values) as Array<keyof T>).find((name) => values[name] === stored);
  return found ?? 'OTHER';
}

/** The enum name for a stored status; null when the column is NULL. */
export const listingStatusOf = (stored: string | null) => nameOf(LISTING_STATUS_VALUES, stored) as ListingStatusName | null;
export const fulfillmentChannelOf = (stored: string | null) => nameOf(FULFILLMENT_CHANNEL_VALUES, stored) as FulfillmentChannelName | null;

/**
 * The stored values a `status` filter matches: the known ones by name, legacy text by `statusRaw`
 * (both given: a row must satisfy both). OTHER names no stored value: callers refuse it first.
 */
export function storedStatusesFor(names: readonly ListingStatusName[] | null | undefined, raw: readonly string[] | null | undefined): string[] | null {
  const known = names ? names.filter((name) => name !== 'OTHER').map((name) => LISTING_STATUS_VALUES[name as keyof typeof LISTING_STATUS_VALUES]) : null;
  if (known && raw) return known.filter((value) => raw.includes(value));
  return known ?? (raw ? [...raw] : null);
}
