import type { Decimal } from 'decimal.js';
import { computeEconomics, type Economics, type EconomicsInput } from '../../domain/economics.js';
import { toDecimal } from '../../domain/money.js';
import { daysOfCover, salesVelocity30d, salesWindow, sumWindow } from '../../domain/sales.js';
import type { Listing, PrismaClient } from '../../generated/prisma/client.js';
import { loadEconomicsInputs } from './loaders-economics.js';
import { loadGuardrailSettings, type EffectiveSettings } from '../settings.js';

/**
 * What the price and stock guardrails (docs/domain-rules.md §3) need about one listing, read now. Publish reads it
 * with its transaction client so the check and the writes see the same state; preview reads it with
 * the request's client.
 */

/** The base client or an interactive-transaction client: only model delegates are used. */
export type Db = Pick<
  PrismaClient,
  'listing' | 'setting' | 'listingSalesDaily' | 'listingEvent' | 'listingOfferCurrent' | 'job'
>;

const TRAILING_DAY_MS = 86_400_000;

export interface PricingState {
  listing: Listing;
  /** listing_offer_current.price_inc_vat, else listings.price_inc_vat (§1.1). */
  currentPriceIncVat: Decimal | null;
  /** listing_offer_current.available_quantity, else listings.available_quantity (§4.1). */
  currentQuantity: number | null;
  economicsInput: EconomicsInput;
  economicsBefore: Economics;
  units30d: number;
  velocity30d: Decimal;
  /** At the current quantity; null without sales velocity. */
  daysOfCover: Decimal | null;
  /** §3.1 ⚑: before price of the earliest PRICE_CHANGE_SUCCEEDED in the trailing 24 h, else current. */
  referencePriceIncVat: Decimal | null;
  settings: EffectiveSettings;
}

/** Null when the listing does not exist. */
export async function loadPricingState(db: Db, listingId: number, asOf: Date): Promise<PricingState | null> {
  // Sequential on purpose: PGlite's single connection serialises them anyway, and inside an
  // interactive transaction parallel queries buy nothing.
  const listing = await db.listing.findUnique({ where: { id: listingId }, include: { offer: true } });
  if (!listing) return null;
  const inputs = await loadEconomicsInputs(db, [listingId]);
  const economicsInput = inputs.get(listingId);
  if (!economicsInput) return null;
  const settings = await loadGuardrailSettings(db);

  const window = salesWindow(asOf, 30);
  const salesRows = await db.listingSalesDaily.findMany({
    where: { listingId, date: { gte: new Date(`${window.from}T00:00:00Z`), lt: new Date(`${window.to}T00:00:00Z`) } },
    select: { date: true, units: true },
  });
  const units30d = sumWindow(salesRows, asOf, 30).units;
  const velocity30d = salesVelocity30d(units30d);

  const currentPriceIncVat = toDecimal(listing.offer?.priceIncVat ?? listing.priceIncVat);
  const currentQuantity = listing.offer?.availableQuantity ?? listing.availableQuantity ?? null;

  const referencePriceIncVat = (await dailyLimitReferencePrice(db, listingId, asOf)) ?? currentPriceIncVat;

  const { offer: _offer, ...listingRow } = listing;
  return {
    listing: listingRow,
    currentPriceIncVat,
    currentQuantity,
    economicsInput,
    economicsBefore: computeEconomics(economicsInput),
    units30d,
    velocity30d,
    daysOfCover: daysOfCover(currentQuantity, velocity30d),
    referencePriceIncVat,
    settings,
  };
}

/**
 * The before price of the earliest PRICE_CHANGE_SUCCEEDED of the trailing 24 h: measuring the daily
 * limit from there stops a chain of 5 % steps from moving the price 20 % in a day (§3.1 ⚑).
 */
export async function dailyLimitReferencePrice(db: Db, listingId: number, asOf: Date): Promise<Decimal | null> {
  const since = new Date(asOf.getTime() - TRAILING_DAY_MS);
  const earliest = await db.listingEvent.findFirst({
    where: { listingId, eventType: 'PRICE_CHANGE_SUCCEEDED', createdAt: { gte: since, lte: asOf } },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    select: { beforeJson: true },
  });
  return priceFromJson(earliest?.beforeJson);
}

/** `{price_inc_vat}` of an event's JSON, written as a decimal string or a JSON number. */
export function priceFromJson(json: unknown): Decimal | null {
  if (!json || typeof json !== 'object' || Array.isArray(json)) return null;
  const value = (json as Record<string, unknown>).price_inc_vat;
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  try {
    return toDecimal(value);
  } catch {
    return null;
  }
}
