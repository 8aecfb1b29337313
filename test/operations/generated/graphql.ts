/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** Buy Box state to filter by. */
export type BuyBoxFilterStatus =
  /** Another seller holds the Buy Box. */
  | 'LOST'
  /** Not known, or no offer synced. */
  | 'UNKNOWN'
  /** This seller holds the Buy Box. */
  | 'WON';

/** Buy Box state as synced from Amazon. */
export type BuyBoxStatus =
  /** Another seller holds the Buy Box. */
  | 'LOST'
  /** Not known. */
  | 'UNKNOWN'
  /** This seller holds the Buy Box. */
  | 'WON';

/** How sure the generator is. */
export type ConfidenceBand =
  /** High confidence. */
  | 'HIGH'
  /** Low confidence. */
  | 'LOW'
  /** Medium confidence. */
  | 'MEDIUM';

/** Where the fees of the economics come from. */
export type FeeSource =
  /** 15 % referral estimate */
  | 'ESTIMATE'
  /** From the latest fee snapshot */
  | 'SNAPSHOT';

/** Narrows the listing list; every given field must match (AND), an empty list matches nothing. */
export type ListingFilter = {
  /** A listing without an offer counts as UNKNOWN. */
  buyBoxStatus?: Array<BuyBoxFilterStatus> | null | undefined;
  /** Margin bands of the latest feature snapshot. */
  marginBand?: Array<MarginBand> | null | undefined;
  /** Global ID of the marketplace (its `id`, not its databaseId). */
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

/** How to sort listings. */
export type ListingOrder = {
  /** ASC or DESC; default DESC. */
  direction?: SortDirection;
  /** What to sort by. */
  field: ListingOrderField;
};

/** MARGIN, PROFIT_PER_UNIT and UNITS_30D read the latest feature snapshot; BUY_BOX_PERCENTAGE the current offer. */
export type ListingOrderField =
  /** 30-day Buy Box share of the current offer. */
  | 'BUY_BOX_PERCENTAGE'
  /** Creation time. */
  | 'CREATED_AT'
  /** Margin of the latest feature snapshot. */
  | 'MARGIN'
  /** Profit per unit of the latest feature snapshot. */
  | 'PROFIT_PER_UNIT'
  /** Seller SKU, alphabetically. */
  | 'SELLER_SKU'
  /** Units sold over 30 days (latest feature snapshot). */
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

/** Margin of the latest feature snapshot against guardrails.min_margin. */
export type MarginBand =
  /** 0 ≤ margin < guardrails.min_margin */
  | 'BELOW_TARGET'
  /** margin ≥ guardrails.min_margin */
  | 'HEALTHY'
  /** margin < 0 */
  | 'NEGATIVE'
  /** no margin (no price or no features yet) */
  | 'UNKNOWN';

/** Outcome of the job an accepted recommendation started: the latest ACTION_* event (docs/domain-rules.md §5.4). */
export type RecommendationActionState =
  /** The action was applied. */
  | 'COMPLETED'
  /** The action failed. */
  | 'FAILED'
  /** Nothing started (not accepted, or no action to publish). */
  | 'NONE'
  /** The publish job is under way. */
  | 'STARTED';

/** Kinds of recommendation event. */
export type RecommendationEventType =
  /** Accepted. */
  | 'ACCEPTED'
  /** Its action was applied. */
  | 'ACTION_COMPLETED'
  /** Its action failed or was cancelled. */
  | 'ACTION_FAILED'
  /** Its publish job started. */
  | 'ACTION_STARTED'
  /** Expired. */
  | 'EXPIRED'
  /** Created by the generator. */
  | 'GENERATED'
  /** Rejected. */
  | 'REJECTED'
  /** Snoozed. */
  | 'SNOOZED'
  /** Replaced by a newer recommendation. */
  | 'SUPERSEDED'
  /** First viewed. */
  | 'VIEWED';

/** What a recommendation proposes (docs/domain-rules.md §5). */
export type RecommendationType =
  /** The Buy Box share dropped unusually. */
  | 'ANOMALY_BUY_BOX_LOSS'
  /** Conversion dropped unusually. */
  | 'ANOMALY_CONVERSION_DROP'
  /** Sales dropped unusually. */
  | 'ANOMALY_SALES_DROP'
  /** A component cost rise threatens the margin. */
  | 'MARGIN_AT_RISK_COMPONENT_COST'
  /** An ASIN entity is worth listing. */
  | 'OPPORTUNITY_CREATE_LISTING'
  /** Lower the price to win the Buy Box back. */
  | 'PRICE_DECREASE_REGAIN_BUYBOX'
  /** Raise the price: margin can improve. */
  | 'PRICE_INCREASE_MARGIN_OPPORTUNITY'
  /** Reduce stock: too much cover. */
  | 'STOCK_DECREASE_OVERSTOCK'
  /** Add stock: a stock-out is near. */
  | 'STOCK_INCREASE_STOCKOUT_RISK';

/** Sort order. */
export type SortDirection =
  /** Smallest first. */
  | 'ASC'
  /** Largest (newest) first. */
  | 'DESC';

/** Stock-out risk of the latest feature snapshot. */
export type StockRisk =
  /** Days of cover at most half the lead time. */
  | 'HIGH'
  /** More cover than the lead time, or no sales to measure. */
  | 'LOW'
  /** Days of cover at most the lead time. */
  | 'MEDIUM';

export type DashboardQueryVariables = Exact<{
  first: number;
  after?: string | null | undefined;
  filter?: ListingFilter | null | undefined;
  orderBy?: ListingOrder | null | undefined;
}>;


export type DashboardQuery = { listings: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ cursor: string, node: { id: string, databaseId: number, sellerSku: string, title: string | null, status: ListingStatus | null, marketplace: { name: string, vatRate: string } | null, offer: { priceIncVat: string | null, availableQuantity: number | null, buyBoxStatus: BuyBoxStatus | null, buyBoxPercentage30d: string | null } | null, activeBom: { id: string, version: number, costRollup: { bomCostExVat: string, lineCount: number } | null, lines: Array<{ quantity: string, wastageRate: string | null, lineCostExVat: string | null, component: { componentSku: string, name: string, unitCostExVat: string | null, supplier: { name: string, leadTimeDays: number | null } | null } }> } | null, latestFeatures: { computedAt: string, margin: string | null, stockoutRisk: string | null, unitsThirtyDays: number | null } | null, recommendations: Array<{ id: string, recommendationType: RecommendationType, confidence: ConfidenceBand, confidenceScore: string | null, actionState: RecommendationActionState, events: Array<{ eventType: RecommendationEventType, createdAt: string | null }> }>, economics: { priceIncVat: string | null, priceExVat: string | null, bomCostExVat: string, totalCostExVat: string | null, profitExVat: string | null, margin: string | null, breakEvenPriceIncVat: string | null, fees: { totalFeeExVat: string | null, source: FeeSource } } | null } }> } | null };


export const DashboardDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Dashboard"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ListingFilter"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"orderBy"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ListingOrder"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"listings"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"orderBy"},"value":{"kind":"Variable","name":{"kind":"Name","value":"orderBy"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"databaseId"}},{"kind":"Field","name":{"kind":"Name","value":"sellerSku"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"marketplace"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"vatRate"}}]}},{"kind":"Field","name":{"kind":"Name","value":"offer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"priceIncVat"}},{"kind":"Field","name":{"kind":"Name","value":"availableQuantity"}},{"kind":"Field","name":{"kind":"Name","value":"buyBoxStatus"}},{"kind":"Field","name":{"kind":"Name","value":"buyBoxPercentage30d"}}]}},{"kind":"Field","name":{"kind":"Name","value":"activeBom"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"costRollup"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"bomCostExVat"}},{"kind":"Field","name":{"kind":"Name","value":"lineCount"}}]}},{"kind":"Field","name":{"kind":"Name","value":"lines"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"quantity"}},{"kind":"Field","name":{"kind":"Name","value":"wastageRate"}},{"kind":"Field","name":{"kind":"Name","value":"lineCostExVat"}},{"kind":"Field","name":{"kind":"Name","value":"component"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"componentSku"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"unitCostExVat"}},{"kind":"Field","name":{"kind":"Name","value":"supplier"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"leadTimeDays"}}]}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"latestFeatures"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"computedAt"}},{"kind":"Field","name":{"kind":"Name","value":"margin"}},{"kind":"Field","alias":{"kind":"Name","value":"unitsThirtyDays"},"name":{"kind":"Name","value":"units30d"}},{"kind":"Field","name":{"kind":"Name","value":"stockoutRisk"}}]}},{"kind":"Field","name":{"kind":"Name","value":"recommendations"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"status"},"value":{"kind":"ListValue","values":[{"kind":"EnumValue","value":"PENDING"}]}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"recommendationType"}},{"kind":"Field","name":{"kind":"Name","value":"confidence"}},{"kind":"Field","name":{"kind":"Name","value":"confidenceScore"}},{"kind":"Field","name":{"kind":"Name","value":"actionState"}},{"kind":"Field","name":{"kind":"Name","value":"events"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"eventType"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"economics"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"priceIncVat"}},{"kind":"Field","name":{"kind":"Name","value":"priceExVat"}},{"kind":"Field","name":{"kind":"Name","value":"bomCostExVat"}},{"kind":"Field","name":{"kind":"Name","value":"totalCostExVat"}},{"kind":"Field","name":{"kind":"Name","value":"profitExVat"}},{"kind":"Field","name":{"kind":"Name","value":"margin"}},{"kind":"Field","name":{"kind":"Name","value":"breakEvenPriceIncVat"}},{"kind":"Field","name":{"kind":"Name","value":"fees"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalFeeExVat"}},{"kind":"Field","name":{"kind":"Name","value":"source"}}]}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<DashboardQuery, DashboardQueryVariables>;