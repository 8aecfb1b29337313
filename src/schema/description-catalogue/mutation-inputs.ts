import { MONEY } from './units.js';

/** Inputs of the catalogue and listing mutations. */
export const MUTATION_INPUTS: Record<string, string> = {
  'CreateListingInput.sellerSku': 'Unique seller SKU (trimmed, at most 100 characters).',
  'CreateListingInput.asin': 'ASIN: 10 letters or digits (upper-cased).',
  'CreateListingInput.title': 'Title.',
  'CreateListingInput.description': 'Description.',
  'CreateListingInput.bulletPoints': 'At most 10 bullet points.',
  'CreateListingInput.category': 'Category text.',
  'CreateSupplierInput.name': 'Supplier name (not blank).',
  'CreateSupplierInput.currencyCode': '3-letter ISO 4217 code, e.g. GBP.',
  'CreateSupplierInput.minimumOrderValue': `Minimum order value (${MONEY}, ≥ 0).`,
  'CreateComponentInput.componentSku': 'Unique component SKU.',
  'CreateComponentInput.name': 'Component name (not blank).',
  'CreateComponentInput.unitCostExVat': `Cost of one unit (${MONEY}, up to 4 decimals, ≥ 0).`,
  'UpsertCostOverrideInput.shippingCostExVat': `Shipping cost per unit (${MONEY}, ≥ 0).`,
  'UpsertCostOverrideInput.packagingCostExVat': `Packaging cost per unit (${MONEY}, ≥ 0).`,
  'UpsertCostOverrideInput.handlingCostExVat': `Handling cost per unit (${MONEY}, ≥ 0).`,
  'UpsertCostOverrideInput.otherCostExVat': `Other cost per unit (${MONEY}, ≥ 0).`,
};
