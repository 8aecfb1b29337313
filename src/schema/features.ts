import { Decimal } from 'decimal.js';
import { GraphQLError } from 'graphql';
import { FeatureEntityType } from '../generated/prisma/enums.js';
import { featureHistoryLoader, latestFeaturesLoader } from '../resolvers/read/loaders-features.js';
import { AsinEntityRef } from './asin.js';
import { builder, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './builder.js';

export const FeatureEntityTypeEnum = builder.enumType(FeatureEntityType, { name: 'FeatureEntityType' });

type Features = Record<string, unknown>;

function featuresOf(row: { featuresJson: unknown }): Features {
  const json = row.featuresJson;
  return json && typeof json === 'object' && !Array.isArray(json) ? (json as Features) : {};
}

/** The first of `keys` present with a non-null value (REF and DOMAIN spell a few keys differently). */
function pick(features: Features, keys: readonly string[]): unknown {
  for (const key of keys) {
    const value = features[key];
    if (value !== undefined && value !== null) return value;
  }
  return null;
}

/**
 * A JSON number or numeric string as a decimal string: `String(19.99)` is "19.99", the shortest
 * text that round-trips the stored double, so no float arithmetic touches the value.
 */
function asDecimal(value: unknown): string | null {
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : null) : typeof value === 'string' ? value.trim() : null;
  if (text === null || !/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(text)) return null;
  // decimal.js only re-spells exponent notation (1e-7 -> 0.0000001); it does no arithmetic.
  return /[eE]/.test(text) ? new Decimal(text).toFixed() : text;
}

function asInt(value: unknown): number | null {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && Math.abs(n) <= 2_147_483_647 ? n : null;
}

function asString(value: unknown): string | null {
  return typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : null;
}

// Field name -> feature keys (first present wins). DOMAIN §4.1 (listing) and §4.2 (ASIN).
const DECIMAL_FEATURES: Record<string, readonly string[]> = {
  vatRate: ['vat_rate'],
  priceIncVat: ['price_inc_vat'],
  priceExVat: ['price_ex_vat'],
  bomCostExVat: ['bom_cost_ex_vat'],
  shippingCostExVat: ['shipping_cost_ex_vat'],
  packagingCostExVat: ['packaging_cost_ex_vat'],
  handlingCostExVat: ['handling_cost_ex_vat'],
  otherCostExVat: ['other_cost_ex_vat'],
  amazonFeesExVat: ['amazon_fees_ex_vat'],
  profitExVat: ['profit_ex_vat'],
  margin: ['margin'],
  breakEvenPriceIncVat: ['break_even_price_inc_vat'],
  revenueIncVat7d: ['revenue_inc_vat_7d'],
  revenueIncVat30d: ['revenue_inc_vat_30d'],
  conversionRate30d: ['conversion_rate_30d'],
  salesVelocityUnitsPerDay30d: ['sales_velocity_units_per_day_30d'],
  daysOfCover: ['days_of_cover'],
  buyBoxPercentage30d: ['buy_box_percentage_30d'],
  priceMedian90d: ['price_median_90d'],
  priceP25_90d: ['price_p25_90d'],
  priceP75_90d: ['price_p75_90d'],
  priceVolatility90d: ['price_volatility_90d', 'volatility_90d'],
  offersTrend30d: ['offers_trend_30d'],
  salesAnomalyScore: ['sales_anomaly_score'],
  conversionAnomalyScore: ['conversion_anomaly_score'],
  buyBoxAnomalyScore: ['buy_box_anomaly_score'],
  // ASIN (§4.2)
  priceCurrent: ['price_current'],
  salesRankTrend90d: ['sales_rank_trend_90d', 'rank_trend_90d'],
  buyBoxPrice: ['buy_box_price'],
  scenarioBomCostExVat: ['scenario_bom_cost_ex_vat'],
  opportunityProfit: ['opportunity_profit'],
  opportunityMargin: ['opportunity_margin'],
};

const INT_FEATURES: Record<string, readonly string[]> = {
  units7d: ['units_7d'],
  units30d: ['units_30d'],
  sessions30d: ['sessions_30d'],
  availableQuantity: ['available_quantity'],
  leadTimeDays: ['lead_time_days'],
  offersCountCurrent: ['offers_count_current'],
  // ASIN (§4.2)
  marketplaceId: ['marketplace_id'],
  salesRankCurrent: ['sales_rank_current'],
};

const STRING_FEATURES: Record<string, readonly string[]> = {
  stockoutRisk: ['stockout_risk'],
  buyBoxStatus: ['buy_box_status'],
  buyBoxRisk: ['buy_box_risk'],
  competitorPricePosition: ['competitor_price_position'],
  // ASIN (§4.2)
  asin: ['asin'],
  title: ['title'],
  brand: ['brand'],
  category: ['category'],
};

/** Features that reveal a cost (costs, fees, profit, margin): `costs:read` only. */
const COST_FEATURES = new Set([
  'bomCostExVat', 'shippingCostExVat', 'packagingCostExVat', 'handlingCostExVat', 'otherCostExVat', 'amazonFeesExVat',
  'profitExVat', 'margin', 'breakEvenPriceIncVat', 'scenarioBomCostExVat', 'opportunityProfit', 'opportunityMargin',
]);

export const FeatureSnapshotRef = builder.prismaNode('FeatureSnapshot', {
  authScopes: { scope: 'read' },
  id: { field: 'id' },
  fields: (t) => {
    const typed: Record<string, ReturnType<typeof t.field>> = {};
    for (const [name, keys] of Object.entries(DECIMAL_FEATURES)) {
      typed[name] = t.field({
        type: 'Decimal',
        nullable: true,
        authScopes: { scope: COST_FEATURES.has(name) ? 'costs:read' : 'read' },
        resolve: (row) => asDecimal(pick(featuresOf(row), keys)),
      });
    }
    for (const [name, keys] of Object.entries(INT_FEATURES)) {
      typed[name] = t.int({ nullable: true, authScopes: { scope: 'read' }, resolve: (row) => asInt(pick(featuresOf(row), keys)) });
    }
    for (const [name, keys] of Object.entries(STRING_FEATURES)) {
      typed[name] = t.string({ nullable: true, authScopes: { scope: 'read' }, resolve: (row) => asString(pick(featuresOf(row), keys)) });
    }
    return {
      databaseId: t.exposeInt('id'),
      entityType: t.expose('entityType', { type: FeatureEntityTypeEnum }),
      entityId: t.exposeInt('entityId', { description: 'Database id of the listing or ASIN entity (no foreign key).' }),
      featureVersion: t.exposeInt('featureVersion'),
      computedAt: t.expose('computedAt', { type: 'DateTime' }),
      createdAt: t.expose('createdAt', { type: 'DateTime', nullable: true }),
      raw: t.expose('featuresJson', { type: 'JSON', nullable: true, description: 'features_json as stored (holds costs and margin).', authScopes: { scope: 'costs:read' } }),
      hasScenarioBom: t.boolean({
        nullable: true,
        resolve: (row) => {
          const value = featuresOf(row).has_scenario_bom;
          return typeof value === 'boolean' ? value : null;
        },
      }),
      ...typed,
    };
  },
});

function historySize(first: number | null | undefined): number {
  const size = first ?? DEFAULT_PAGE_SIZE;
  if (size < 0 || size > MAX_PAGE_SIZE) {
    throw new GraphQLError(`first must be between 0 and ${MAX_PAGE_SIZE}; got ${size}`, { extensions: { code: 'PAGE_SIZE_EXCEEDED' } });
  }
  return size;
}

builder.prismaObjectFields('Listing', (t) => ({
  latestFeatures: t.field({
    type: FeatureSnapshotRef,
    nullable: true,
    authScopes: { scope: 'read' },
    description: 'The current feature row: latest by computedAt, then id.',
    resolve: (listing, _args, ctx) => latestFeaturesLoader(ctx, 'LISTING').load(listing.id),
  }),
  featureHistory: t.field({
    type: [FeatureSnapshotRef],
    authScopes: { scope: 'read' },
    description: 'Feature rows newest first (computedAt DESC, id DESC).',
    args: {
      featureVersion: t.arg.int(),
      first: t.arg.int({ defaultValue: DEFAULT_PAGE_SIZE }),
    },
    resolve: (listing, args, ctx) =>
      featureHistoryLoader(ctx, 'LISTING', { featureVersion: args.featureVersion, first: historySize(args.first) }).load(listing.id),
  }),
}));

builder.prismaObjectFields(AsinEntityRef, (t) => ({
  latestFeatures: t.field({
    type: FeatureSnapshotRef,
    nullable: true,
    authScopes: { scope: 'read' },
    description: 'The current feature row: latest by computedAt, then id.',
    resolve: (entity, _args, ctx) => latestFeaturesLoader(ctx, 'ASIN').load(entity.id),
  }),
  featureHistory: t.field({
    type: [FeatureSnapshotRef],
    authScopes: { scope: 'read' },
    description: 'Feature rows newest first (computedAt DESC, id DESC).',
    args: {
      featureVersion: t.arg.int(),
      first: t.arg.int({ defaultValue: DEFAULT_PAGE_SIZE }),
    },
    resolve: (entity, args, ctx) =>
      featureHistoryLoader(ctx, 'ASIN', { featureVersion: args.featureVersion, first: historySize(args.first) }).load(entity.id),
  }),
}));
