/**
 * What each field of the listing read path compiles to: a column (with how its text becomes the
 * scalar's output), a value computed in JS from columns by the same src/domain code the resolvers
 * use, or a relation read as a correlated subquery. A field missing here is not compiled: the
 * whole operation then runs on the resolver path (visibly; see src/graphql/compiled-reads.ts).
 *
 * Table names are quoted as Prisma writes them, so statement logs (and tests that look for a table
 * in them) read the same on both paths.
 *
 * Kept beside the compiler rather than as Pothos field extensions so the schema files stay as they
 * are; test/graphql/compiled-reads.test.ts proves every entry names a field of the schema and
 * returns what the resolvers return.
 */
import { actionState, effectiveStatus, type RecommendationEventLike } from '../../domain/recommendation-lifecycle.js';
import { bomCost, lineCost } from '../../domain/economics.js';
import { fulfillmentChannelOf, listingStatusOf } from '../../domain/listing-enums.js';
import type { EffectiveSettings } from '../settings.js';
import { sqlInteger } from '../listings.js';
import { ECONOMICS_INPUTS, ECONOMICS_TYPES, economicsOf } from './economics-fields.js';
import { asDecimal, asInt, asString, DECIMAL_FEATURES, featuresOf, INT_FEATURES, pick, STRING_FEATURES } from './feature-values.js';
import { column, decimalText, globalId, isoTimestamp, numericText, snake, type ColumnSql } from './values.js';

export interface Runtime {
  now: Date;
  settings: EffectiveSettings;
}

/** Placeholders for values known only per request; `bindParams` fills them. */
export const NOW = Symbol('now');
export const MIN_MARGIN = Symbol('minMargin');

export interface Params {
  add(value: unknown): string;
}

/** A relation's rows: `table` read as alias `c`, filtered by `where` (correlated with the parent alias `p`). */
export interface RelationSource {
  table: string;
  where: string;
  order?: string;
  limit?: string;
}

export type FieldSpec =
  | { kind: 'value'; sql: ColumnSql; out?: (raw: unknown) => unknown }
  | {
      kind: 'computed';
      sql: ColumnSql[];
      value: (raw: unknown[], rt: Runtime) => unknown;
      /**
       * The value is a pure function of the columns and the guardrail settings (not of the clock):
       * results are kept in a bounded cache keyed by both (src/resolvers/read/value-cache.ts).
       */
      pure?: boolean;
      /** Reads `rt.settings` (the request then loads the guardrail settings first). */
      settings?: boolean;
    }
  | {
      kind: 'relation';
      type: string;
      list: boolean;
      /** Null when the arguments are outside what the compiler handles (the resolver path answers). */
      source: (p: string, c: string, args: Record<string, unknown>, params: Params) => RelationSource | null;
    };

type Kind = 'plain' | 'decimal' | 'time';

function scalars(spec: Record<string, Kind | [Kind, string]>): Record<string, FieldSpec> {
  const fields: Record<string, FieldSpec> = {};
  for (const [name, entry] of Object.entries(spec)) {
    const [kind, col] = Array.isArray(entry) ? entry : [entry, snake(name)];
    fields[name] =
      kind === 'decimal' ? { kind: 'value', sql: numericText(col), out: decimalText }
      : kind === 'time' ? { kind: 'value', sql: isoTimestamp(col) }
      : { kind: 'value', sql: column(col) };
  }
  return fields;
}

const node = (typename: string, key = 'id'): Record<string, FieldSpec> => ({
  id: { kind: 'value', sql: column(key), out: globalId(typename) },
  databaseId: { kind: 'value', sql: column(key) },
});

const one = (type: string, table: string, where: (p: string, c: string) => string): FieldSpec => ({
  kind: 'relation', type, list: false, source: (p, c) => ({ table, where: where(p, c) }),
});

/** Stored text → the enum name the resolvers show (src/domain/listing-enums.ts). */
const fulfillmentChannelField: FieldSpec = { kind: 'value', sql: column('fulfillment_channel'), out: (text) => fulfillmentChannelOf(text as string | null) };

const dateOf = (text: unknown) => (typeof text === 'string' ? new Date(text) : null);

const featureFields: Record<string, FieldSpec> = {};
const featuresJson = column('features_json');
for (const [name, keys] of Object.entries(DECIMAL_FEATURES)) {
  featureFields[name] = { kind: 'computed', sql: [featuresJson], value: ([json]) => asDecimal(pick(featuresOf({ featuresJson: json }), keys)) };
}
for (const [name, keys] of Object.entries(INT_FEATURES)) {
  featureFields[name] = { kind: 'computed', sql: [featuresJson], value: ([json]) => asInt(pick(featuresOf({ featuresJson: json }), keys)) };
}
for (const [name, keys] of Object.entries(STRING_FEATURES)) {
  featureFields[name] = { kind: 'computed', sql: [featuresJson], value: ([json]) => asString(pick(featuresOf({ featuresJson: json }), keys)) };
}

const RECOMMENDATION_ORDER: Record<string, (c: string) => string> = {
  CONFIDENCE_SCORE_DESC: (c) => `${c}.confidence_score DESC NULLS LAST, ${c}.generated_at DESC, ${c}.id DESC`,
  GENERATED_AT_DESC: (c) => `${c}.generated_at DESC, ${c}.id DESC`,
};

/** SQL twin of `effectiveStatus` (src/resolvers/loaders-b.ts `effectiveStatusSql`), over alias `c`. */
function effectiveStatusSql(c: string, now: string): string {
  return `(CASE
    WHEN ${c}.status = 'PENDING' AND ${c}.expires_at <= ${now} THEN 'EXPIRED'
    WHEN ${c}.status = 'SNOOZED' AND (${c}.snoozed_until IS NULL OR ${c}.snoozed_until <= ${now}) THEN
      CASE WHEN ${c}.expires_at <= ${now} THEN 'EXPIRED' ELSE 'PENDING' END
    ELSE ${c}.status::text END)`;
}

type Text = string | null;

const MAX_NESTED_PAGE = 100;

/** The database-backed types of the compiled path, by GraphQL type name. */
export const DB_TYPES: Record<string, Record<string, FieldSpec>> = {
  Listing: {
    ...node('Listing'),
    ...scalars({
      sellerSku: 'plain', asin: 'plain', title: 'plain', description: 'plain', bulletPoints: 'plain', priceIncVat: 'decimal',
      availableQuantity: 'plain', category: 'plain', statusRaw: ['plain', 'status'], currentScore: 'plain',
      fulfillmentChannelRaw: ['plain', 'fulfillment_channel'], createdAt: 'time', updatedAt: 'time',
    }),
    status: { kind: 'value', sql: column('status'), out: (text) => listingStatusOf(text as string | null) },
    fulfillmentChannel: fulfillmentChannelField,
    economics: { kind: 'computed', sql: ECONOMICS_INPUTS, value: economicsOf, pure: true, settings: true },
    marketplace: one('Marketplace', '"marketplaces"', (p, c) => `${c}.id = ${p}.marketplace_id`),
    offer: one('ListingOffer', '"listing_offer_current"', (p, c) => `${c}.listing_id = ${p}.id`),
    costOverride: one('ListingCostOverride', '"listing_cost_overrides"', (p, c) => `${c}.listing_id = ${p}.id`),
    latestFeeSnapshot: {
      kind: 'relation', type: 'FeeSnapshot', list: false,
      source: (p, c) => ({ table: '"fee_snapshots"', where: `${c}.listing_id = ${p}.id`, order: `${c}.captured_at DESC NULLS LAST, ${c}.id DESC`, limit: '1' }),
    },
    activeBom: {
      kind: 'relation', type: 'Bom', list: false,
      source: (p, c) => ({
        table: '"boms"', where: `${c}.listing_id = ${p}.id AND ${c}.is_active AND ${c}.scope_type = 'LISTING'`,
        order: `${c}.version DESC`,
        limit: '1',
      }),
    },
    latestFeatures: {
      kind: 'relation', type: 'FeatureSnapshot', list: false,
      source: (p, c) => ({
        table: '"feature_store"', where: `${c}.entity_type = 'LISTING' AND ${c}.entity_id = ${p}.id`,
        order: `${c}.computed_at DESC, ${c}.id DESC`,
        limit: '1',
      }),
    },
    recommendations: {
      kind: 'relation', type: 'Recommendation', list: true,
      source: (p, c, args, params) => {
        const first = (args.first as number | null | undefined) ?? 20;
        const order = RECOMMENDATION_ORDER[(args.orderBy as string | null | undefined) ?? 'CONFIDENCE_SCORE_DESC'];
        if (first < 0 || first > MAX_NESTED_PAGE || !order) return null;
        const statuses = args.status as string[] | null | undefined;
        // The request's clock is a parameter filled per request, so the statement text can be cached.
        const now = () => `(${params.add(NOW)}::timestamptz AT TIME ZONE 'UTC')`;
        const status = statuses?.length ? ` AND ${effectiveStatusSql(c, now())} = ANY(${params.add(statuses)}::text[])` : '';
        return {
          table: '"recommendations"', where: `${c}.entity_type = 'LISTING' AND ${c}.entity_id = ${p}.id${status}`,
          order: order(c),
          limit: sqlInteger(first),
        };
      },
    },
  },
  Marketplace: {
    ...node('Marketplace'),
    ...scalars({
      amazonMarketplaceId: 'plain', name: 'plain', countryCode: 'plain', currencyCode: 'plain', vatRate: 'decimal', isActive: 'plain',
      createdAt: 'time', updatedAt: 'time',
    }),
  },
  ListingOffer: {
    ...node('ListingOffer', 'listing_id'),
    ...scalars({
      priceIncVat: 'decimal', availableQuantity: 'plain', buyBoxStatus: 'plain', buyBoxPercentage30d: 'decimal', buyBoxPrice: 'decimal',
      isBuyBoxWinner: 'plain', observedAt: 'time', createdAt: 'time', updatedAt: 'time',
    }),
  },
  ListingCostOverride: {
    ...node('ListingCostOverride'),
    ...scalars({
      shippingCostExVat: 'decimal', packagingCostExVat: 'decimal', handlingCostExVat: 'decimal', otherCostExVat: 'decimal', notes: 'plain',
      createdAt: 'time', updatedAt: 'time',
    }),
  },
  FeeSnapshot: {
    ...node('FeeSnapshot'),
    ...scalars({
      priceIncVat: 'decimal', referralFeeExVat: 'decimal', fbaFeeExVat: 'decimal', variableClosingFeeExVat: 'decimal', perItemFeeExVat: 'decimal',
      totalFeeExVat: 'decimal', category: 'plain', fulfillmentChannelRaw: ['plain', 'fulfillment_channel'], rawJson: 'plain', capturedAt: 'time', createdAt: 'time',
    }),
    fulfillmentChannel: fulfillmentChannelField,
  },
  Bom: {
    ...node('Bom'),
    ...scalars({
      scopeType: 'plain', version: 'plain', isActive: 'plain', effectiveFrom: 'time', effectiveTo: 'time', notes: 'plain',
      createdAt: 'time', updatedAt: 'time',
    }),
    lines: {
      kind: 'relation', type: 'BomLine', list: true,
      source: (p, c) => ({ table: '"bom_lines"', where: `${c}.bom_id = ${p}.id`, order: `${c}.id ASC` }),
    },
    costRollup: {
      kind: 'computed',
      pure: true,
      sql: [
        (p) => `(SELECT json_agg(json_build_array(bl.quantity::text, bl.wastage_rate::text, cm.unit_cost_ex_vat::text) ORDER BY bl.id)
          FROM "bom_lines" bl JOIN "components" cm ON cm.id = bl.component_id WHERE bl.bom_id = ${p}.id)`,
      ],
      value: ([lines]) => {
        const rows = (lines ?? []) as Array<[string, Text, string]>;
        return {
          bomCostExVat: bomCost(rows.map(([quantity, wastageRate, unitCostExVat]) => ({ quantity, wastageRate, unitCostExVat }))).toFixed(2),
          lineCount: rows.length,
        };
      },
    },
  },
  BomLine: {
    ...node('BomLine'),
    ...scalars({ quantity: 'decimal', wastageRate: 'decimal', notes: 'plain', createdAt: 'time' }),
    component: one('Component', '"components"', (p, c) => `${c}.id = ${p}.component_id`),
    lineCostExVat: {
      kind: 'computed',
      pure: true,
      sql: [numericText('quantity'), numericText('wastage_rate'), (p) => `(SELECT cm.unit_cost_ex_vat::text FROM "components" cm WHERE cm.id = ${p}.component_id)`],
      value: ([quantity, wastageRate, unitCostExVat]) =>
        lineCost({ quantity: quantity as string, wastageRate: wastageRate as Text, unitCostExVat: unitCostExVat as string }).toFixed(),
    },
  },
  Component: {
    ...node('Component'),
    ...scalars({
      componentSku: 'plain', name: 'plain', description: 'plain', category: 'plain', supplierSku: 'plain', unitCostExVat: 'decimal',
      unitOfMeasure: 'plain', packSize: 'plain', weightGrams: 'decimal', dimensionsCm: 'plain', minStockLevel: 'plain', currentStock: 'plain',
      reorderPoint: 'plain', priceHistory: 'plain', isActive: 'plain', createdAt: 'time', updatedAt: 'time',
    }),
    supplier: one('Supplier', '"suppliers"', (p, c) => `${c}.id = ${p}.supplier_id`),
  },
  Supplier: {
    ...node('Supplier'),
    ...scalars({
      name: 'plain', contactName: 'plain', email: 'plain', phone: 'plain', website: 'plain', address: 'plain', currencyCode: 'plain',
      leadTimeDays: 'plain', minimumOrderValue: 'decimal', paymentTerms: 'plain', notes: 'plain', rating: 'plain', isActive: 'plain',
      createdAt: 'time', updatedAt: 'time',
    }),
  },
  FeatureSnapshot: {
    ...node('FeatureSnapshot'),
    ...scalars({ entityType: 'plain', entityId: 'plain', featureVersion: 'plain', computedAt: 'time', createdAt: 'time', raw: ['plain', 'features_json'] }),
    hasScenarioBom: {
      kind: 'computed',
      sql: [featuresJson],
      value: ([json]) => {
        const value = featuresOf({ featuresJson: json }).has_scenario_bom;
        return typeof value === 'boolean' ? value : null;
      },
    },
    ...featureFields,
  },
  Recommendation: {
    ...node('Recommendation'),
    ...scalars({
      recommendationType: 'plain', entityType: 'plain', entityId: 'plain', status: 'plain', actionPayload: ['plain', 'action_payload_json'],
      evidence: ['plain', 'evidence_json'], guardrails: ['plain', 'guardrails_json'], impact: ['plain', 'impact_json'], confidence: 'plain',
      generatedAt: 'time', expiresAt: 'time', acceptedAt: 'time', rejectedAt: 'time', snoozedUntil: 'time', notes: 'plain',
      createdAt: 'time', updatedAt: 'time',
    }),
    // numeric(5,4): PostgreSQL's text always has the 4 places `toFixed(4)` gives.
    confidenceScore: { kind: 'value', sql: numericText('confidence_score') },
    effectiveStatus: {
      kind: 'computed',
      sql: [column('status'), isoTimestamp('expires_at'), isoTimestamp('snoozed_until')],
      value: ([status, expiresAt, snoozedUntil], rt) => effectiveStatus({ status: status as string, expiresAt: dateOf(expiresAt), snoozedUntil: dateOf(snoozedUntil) }, rt.now),
    },
    actionState: {
      kind: 'computed',
      sql: [(p) => `(SELECT json_agg(json_build_array(e.event_type, to_char(e.created_at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), e.id) ORDER BY e.created_at, e.id)
        FROM "recommendation_events" e WHERE e.recommendation_id = ${p}.id)`],
      value: ([events]) =>
        actionState(((events ?? []) as Array<[string, Text, number]>).map(([eventType, createdAt, id]): RecommendationEventLike => ({ eventType, createdAt: dateOf(createdAt), id }))),
    },
    events: {
      kind: 'relation', type: 'RecommendationEvent', list: true,
      source: (p, c) => ({ table: '"recommendation_events"', where: `${c}.recommendation_id = ${p}.id`, order: `${c}.created_at ASC, ${c}.id ASC` }),
    },
  },
  RecommendationEvent: {
    ...node('RecommendationEvent'),
    ...scalars({ eventType: 'plain', detailsJson: 'plain', reason: 'plain', createdBy: 'plain', createdAt: 'time' }),
  },
};

/** Types whose values the compiled path computes in JS (from a `computed` field), by GraphQL type name. */
export const JS_TYPES: Record<string, Record<string, (value: any) => unknown>> = {
  ...ECONOMICS_TYPES,
  BomCostRollup: {
    bomCostExVat: (r: { bomCostExVat: string }) => r.bomCostExVat,
    lineCount: (r: { lineCount: number }) => r.lineCount,
  },
};
