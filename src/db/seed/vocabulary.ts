/** The words and names demo rows are made of. */

export const CATEGORIES = [
  ['Home & Kitchen', ['Storage', 'Cookware', 'Cleaning']],
  ['Garden & Outdoors', ['Planters', 'Tools', 'Lighting']],
  ['Pet Supplies', ['Dog Toys', 'Cat Accessories', 'Grooming']],
  ['Arts & Crafts', ['Paints', 'Kits', 'Paper']],
  ['Toys & Games', ['Puzzles', 'Outdoor Play', 'Card Games']],
  ['Books', ['Notebooks', 'Journals']],
  ['Sports & Outdoors', ['Fitness', 'Camping', 'Cycling']],
  ['Office Products', ['Desk Organisers', 'Labels', 'Stationery']],
] as const;
export const MEDIA_CATEGORIES = new Set(['Books', 'Music', 'Video', 'DVD', 'Software']);
export const ADJECTIVES = ['Premium', 'Eco', 'Deluxe', 'Compact', 'Handmade', 'Classic', 'Heavy-Duty', 'Bamboo', 'Vintage', 'Foldable', 'Magnetic', 'Personalised'];
export const NOUNS = ['Organiser', 'Gift Set', 'Planter', 'Storage Box', 'Candle Holder', 'Coaster Set', 'Tote Bag', 'Jigsaw', 'Bird Feeder', 'Notebook', 'Lunch Box', 'Keyring', 'Photo Frame', 'Dog Lead', 'Paint Kit'];
export const BRANDS = ['Hartwell & Co', 'Northfield', 'Brambly', 'Oakcraft', 'Kittle', 'Larkspur Living', 'Pennine Goods', 'Willow Lane'];
export const COMPONENT_KINDS = [
  ['Packaging', 'Cardboard box', 'each', 15, 90],
  ['Packaging', 'Bubble wrap', 'm', 8, 40],
  ['Packaging', 'Tissue paper', 'sheet', 2, 12],
  ['Raw material', 'Pine plank', 'm', 120, 480],
  ['Raw material', 'Bamboo panel', 'each', 90, 350],
  ['Raw material', 'Soy wax', 'kg', 300, 900],
  ['Raw material', 'Cotton cord', 'm', 5, 30],
  ['Hardware', 'Steel hinge', 'each', 20, 120],
  ['Hardware', 'Magnet 10mm', 'each', 5, 25],
  ['Hardware', 'Screw pack', 'pack', 30, 150],
  ['Printing', 'Printed label', 'each', 3, 20],
  ['Printing', 'Instruction card', 'each', 4, 25],
  ['Finishing', 'Varnish', 'l', 400, 1500],
  ['Finishing', 'Paint pot', 'each', 150, 600],
  ['Textile', 'Canvas fabric', 'm', 250, 900],
] as const;
export const SUPPLIER_NAMES = ['Midlands Packaging', 'Anglia Timber', 'Severn Hardware', 'Clyde Print', 'Thames Textiles', 'Peak Finishing', 'Humber Supplies', 'Solent Components', 'Yorkshire Wax Co', 'Cornish Crafts Wholesale'];

export const EXTRA_MARKETPLACES = [
  { amazonId: 'A1PA6795UKMFR9', name: 'Amazon DE', country: 'DE', currency: 'EUR', vat: '0.1900' },
  { amazonId: 'A13V1IB3VIYZZH', name: 'Amazon FR', country: 'FR', currency: 'EUR', vat: '0.2000' },
];
export const UK_MARKETPLACE = 'A1F83G8C2ARO7P';

