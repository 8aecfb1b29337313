/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type BuyBoxFilterStatus =
  | 'LOST'
  | 'UNKNOWN'
  | 'WON';

export type BuyBoxStatus =
  | 'LOST'
  | 'UNKNOWN'
  | 'WON';

export type ConfidenceBand =
  | 'HIGH'
  | 'LOW'
  | 'MEDIUM';

export type FeeSource =
  /** 15 % referral estimate */
  | 'ESTIMATE'
  /** From the latest fee snapshot */
  | 'SNAPSHOT';

export type ListingFilter = {
  /** A listing without an offer counts as UNKNOWN. */
  buyBoxStatus?: Array<BuyBoxFilterStatus> | null | undefined;
  marginBand?: Array<MarginBand> | null | undefined;
  marketplaceId?: string | null | undefined;
  /** Case-insensitive match on seller SKU, ASIN or title. */
  search?: string | null | undefined;
  /** Listings with one of these statuses, e.g. [ACTIVE]. OTHER is refused: use statusRaw. */
  status?: Array<ListingStatus> | null | undefined;
  /** Listings whose stored status is exactly one of these strings (legacy values); with status, both must match. */
  statusRaw?: Array<string> | null | undefined;
  /** stockout_risk of the latest feature snapshot. */
  stockRisk?: Array<StockRisk> | null | undefined;
};

export type ListingOrder = {
  direction?: SortDirection;
  field: ListingOrderField;
};

/** MARGIN, PROFIT_PER_UNIT and UNITS_30D read the latest feature snapshot; BUY_BOX_PERCENTAGE the current offer. */
export type ListingOrderField =
  | 'BUY_BOX_PERCENTAGE'
  | 'CREATED_AT'
  | 'MARGIN'
  | 'PROFIT_PER_UNIT'
  | 'SELLER_SKU'
  | 'UNITS_30D';

/** Lifecycle of a listing (listings.status). Stored values map exactly; any other stored text is OTHER (see statusRaw). */
export type ListingStatus =
  /** Stored "active": on sale; the default for a new listing. */
  | 'ACTIVE'
  /** Stored "archived": retired by archiveListing; no publishes or recommendations. */
  | 'ARCHIVED'
  /** Stored "inactive": kept but not on sale. */
  | 'INACTIVE'
  /** A legacy value outside the three above, kept as stored; read it from statusRaw. Not accepted as input. */
  | 'OTHER';

export type MarginBand =
  /** 0 ≤ margin < guardrails.min_margin */
  | 'BELOW_TARGET'
  /** margin ≥ guardrails.min_margin */
  | 'HEALTHY'
  /** margin < 0 */
  | 'NEGATIVE'
  /** no margin (no price or no features yet) */
  | 'UNKNOWN';

/** Outcome of the job an accepted recommendation started: the latest ACTION_* event (DOMAIN §5.4). */
export type RecommendationActionState =
  | 'COMPLETED'
  | 'FAILED'
  | 'NONE'
  | 'STARTED';

export type RecommendationEventType =
  | 'ACCEPTED'
  | 'ACTION_COMPLETED'
  | 'ACTION_FAILED'
  | 'ACTION_STARTED'
  | 'EXPIRED'
  | 'GENERATED'
  | 'REJECTED'
  | 'SNOOZED'
  | 'SUPERSEDED'
  | 'VIEWED';

export type RecommendationType =
  | 'ANOMALY_BUY_BOX_LOSS'
  | 'ANOMALY_CONVERSION_DROP'
  | 'ANOMALY_SALES_DROP'
  | 'MARGIN_AT_RISK_COMPONENT_COST'
  | 'OPPORTUNITY_CREATE_LISTING'
  | 'PRICE_DECREASE_REGAIN_BUYBOX'
  | 'PRICE_INCREASE_MARGIN_OPPORTUNITY'
  | 'STOCK_DECREASE_OVERSTOCK'
  | 'STOCK_INCREASE_STOCKOUT_RISK';

export type SortDirection =
  | 'ASC'
  | 'DESC';

export type StockRisk =
  | 'HIGH'
  | 'LOW'
  | 'MEDIUM';

export type DashboardQueryVariables = Exact<{
  first: number;
  after?: string | null | undefined;
  filter?: ListingFilter | null | undefined;
  orderBy?: ListingOrder | null | undefined;
}>;


export type DashboardQuery = { listings: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ cursor: string, node: { id: string, databaseId: number, sellerSku: string, title: string | null, status: ListingStatus | null, marketplace: { name: string, vatRate: string } | null, offer: { priceIncVat: string | null, availableQuantity: number | null, buyBoxStatus: BuyBoxStatus | null, buyBoxPercentage30d: string | null } | null, activeBom: { id: string, version: number, costRollup: { bomCostExVat: string, lineCount: number } | null, lines: Array<{ quantity: string, wastageRate: string | null, lineCostExVat: string | null, component: { componentSku: string, name: string, unitCostExVat: string | null, supplier: { name: string, leadTimeDays: number | null } | null } }> } | null, latestFeatures: { computedAt: string, margin: string | null, stockoutRisk: string | null, unitsThirtyDays: number | null } | null, recommendations: Array<{ id: string, recommendationType: RecommendationType, confidence: ConfidenceBand, confidenceScore: string | null, actionState: RecommendationActionState, events: Array<{ eventType: RecommendationEventType, createdAt: string | null }> }>, economics: { priceIncVat: string | null, priceExVat: string | null, bomCostExVat: string, totalCostExVat: string | null, profitExVat: string | null, margin: string | null, breakEvenPriceIncVat: string | null, fees: { totalFeeExVat: string | null, source: FeeSource } } | null } }> } | null };


export const DashboardDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Dashboard"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ListingFilter"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"orderBy"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ListingOrder"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"listings"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"orderBy"},"value":{"kind":"Variable","name":{"kind":"Name","value":"orderBy"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"databaseId"}},{"kind":"Field","name":{"kind":"Name","value":"sellerSku"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"marketplace"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"vatRate"}}]}},{"kind":"Field","name":{"kind":"Name","value":"offer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"priceIncVat"}},{"kind":"Field","name":{"kind":"Name","value":"availableQuantity"}},{"kind":"Field","name":{"kind":"Name","value":"buyBoxStatus"}},{"kind":"Field","name":{"kind":"Name","value":"buyBoxPercentage30d"}}]}},{"kind":"Field","name":{"kind":"Name","value":"activeBom"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"costRollup"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"bomCostExVat"}},{"kind":"Field","name":{"kind":"Name","value":"lineCount"}}]}},{"kind":"Field","name":{"kind":"Name","value":"lines"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"quantity"}},{"kind":"Field","name":{"kind":"Name","value":"wastageRate"}},{"kind":"Field","name":{"kind":"Name","value":"lineCostExVat"}},{"kind":"Field","name":{"kind":"Name","value":"component"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"componentSku"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"unitCostExVat"}},{"kind":"Field","name":{"kind":"Name","value":"supplier"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"leadTimeDays"}}]}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"latestFeatures"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"computedAt"}},{"kind":"Field","name":{"kind":"Name","value":"margin"}},{"kind":"Field","alias":{"kind":"Name","value":"unitsThirtyDays"},"name":{"kind":"Name","value":"units30d"}},{"kind":"Field","name":{"kind":"Name","value":"stockoutRisk"}}]}},{"kind":"Field","name":{"kind":"Name","value":"recommendations"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"status"},"value":{"kind":"ListValue","values":[{"kind":"EnumValue","value":"PENDING"}]}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"recommendationType"}},{"kind":"Field","name":{"kind":"Name","value":"confidence"}},{"kind":"Field","name":{"kind":"Name","value":"confidenceScore"}},{"kind":"Field","name":{"kind":"Name","value":"actionState"}},{"kind":"Field","name":{"kind":"Name","value":"events"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"eventType"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"economics"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"priceIncVat"}},{"kind":"Field","name":{"kind":"Name","value":"priceExVat"}},{"kind":"Field","name":{"kind":"Name","value":"bomCostExVat"}},{"kind":"Field","name":{"kind":"Name","value":"totalCostExVat"}},{"kind":"Field","name":{"kind":"Name","value":"profitExVat"}},{"kind":"Field","name":{"kind":"Name","value":"margin"}},{"kind":"Field","name":{"kind":"Name","value":"breakEvenPriceIncVat"}},{"kind":"Field","name":{"kind":"Name","value":"fees"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalFeeExVat"}},{"kind":"Field","name":{"kind":"Name","value":"source"}}]}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<DashboardQuery, DashboardQueryVariables>;