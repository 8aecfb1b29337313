import type { HandlerRegistry } from '../runner.js';
import { computeAsinFeaturesHandler, computeListingFeaturesHandler } from './features.js';
import { publishPriceHandler, publishStockHandler } from './publish.js';
import { generateAsinRecommendationsHandler, generateListingRecommendationsHandler } from './recommendations.js';
import { syncCatalogHandler, syncKeepaHandler, syncOfferHandler, syncSalesHandler } from './sync.js';

/** One handler per job type of migration 002 (docs/domain-rules.md §6.2). */
export const HANDLERS: HandlerRegistry = {
  COMPUTE_FEATURES_LISTING: computeListingFeaturesHandler,
  COMPUTE_FEATURES_ASIN: computeAsinFeaturesHandler,
  GENERATE_RECOMMENDATIONS_LISTING: generateListingRecommendationsHandler,
  GENERATE_RECOMMENDATIONS_ASIN: generateAsinRecommendationsHandler,
  PUBLISH_PRICE_CHANGE: publishPriceHandler,
  PUBLISH_STOCK_CHANGE: publishStockHandler,
  SYNC_AMAZON_OFFER: syncOfferHandler,
  SYNC_AMAZON_CATALOG: syncCatalogHandler,
  SYNC_KEEPA_ASIN: syncKeepaHandler,
  SYNC_AMAZON_SALES: syncSalesHandler,
};
