/** The catalogue a seed starts from: marketplaces, suppliers, components. */
import type { SqlSession } from '../sql.js';
import { advanceSequences, Ids, insertTable, lockAndReadIds, T, Table } from './bulk-insert.js';
import { type ComponentInfo } from './context.js';
import { hash2, Rng } from './random.js';
import { DAY, gbp, isoDate, money, pad, ts } from './units.js';
import { COMPONENT_KINDS, EXTRA_MARKETPLACES, SUPPLIER_NAMES, UK_MARKETPLACE } from './vocabulary.js';

// Catalogue (marketplaces, suppliers, components) and global jobs

export async function seedCatalogue(s: SqlSession, seed: number, D: number, listings: number, rows: Record<string, number>): Promise<{
  ukId: number; ukVatBp: number; otherMarketplaceIds: number[]; components: ComponentInfo[];
}> {
  const rng = new Rng(hash2(seed, 0xca7a106));
  const uk = await s.query<{ id: number; vat_rate: string }>('SELECT id, vat_rate::text AS vat_rate FROM marketplaces WHERE amazon_marketplace_id = $1', [UK_MARKETPLACE]);
  let ukId = uk.rows[0]?.id;
  let ukVat = uk.rows[0]?.vat_rate ?? '0.2000';
  if (ukId === undefined) {
    // Migration 001 seeds it; recreate it if someone deleted it.
    const r = await s.query<{ id: number }>(
      `INSERT INTO marketplaces (amazon_marketplace_id, name, country_code, currency_code, vat_rate) VALUES ($1, 'Amazon UK', 'GB', 'GBP', 0.20) RETURNING id`, [UK_MARKETPLACE]);
    ukId = r.rows[0]!.id;
    ukVat = '0.2000';
    rows.marketplaces = (rows.marketplaces ?? 0) + 1;
  }
  const at = ts(D - 800 * DAY);
  const others: number[] = [];
  for (const m of EXTRA_MARKETPLACES) {
    const ins = await s.query<{ id: number }>(
      `INSERT INTO marketplaces (amazon_marketplace_id, name, country_code, currency_code, vat_rate, is_active, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5::numeric, true, $6::timestamp, $6::timestamp) ON CONFLICT (amazon_marketplace_id) DO NOTHING RETURNING id`,
      [m.amazonId, m.name, m.country, m.currency, m.vat, at]);
    if (ins.rows[0]) rows.marketplaces = (rows.marketplaces ?? 0) + 1;
    const { rows: r } = await s.query<{ id: number }>('SELECT id FROM marketplaces WHERE amazon_marketplace_id = $1', [m.amazonId]);
    others.push(r[0]!.id);
  }

  const tables = { suppliers: new Table('suppliers', T.suppliers), components: new Table('components', T.components) };
  const next = await lockAndReadIds(s, ['suppliers', 'components']);
  const ids = new Ids(next);
  const supplierCount = Math.min(40, Math.max(5, Math.ceil(listings / 250)));
  const supplierLead: number[] = [];
  const supplierIds: number[] = [];
  for (let k = 0; k < supplierCount; k++) {
    const id = ids.take('suppliers');
    const name = `${SUPPLIER_NAMES[k % SUPPLIER_NAMES.length]}${k >= SUPPLIER_NAMES.length ? ` ${Math.floor(k / SUPPLIER_NAMES.length) + 1}` : ''}`;
    const lead = rng.pick([3, 5, 7, 10, 14, 21, 28, 45]);
    const created = D - rng.int(400, 800) * DAY;
    supplierIds.push(id);
    supplierLead.push(lead);
    tables.suppliers.push({
      id, name, contact_name: rng.pick(['Sam Patel', 'Jo Evans', 'Alex Murray', 'Priya Shah', 'Chris Doyle']),
      email: `orders${id}@${name.toLowerCase().replace(/[^a-z]+/g, '')}.example.co.uk`, phone: `+44 1${rng.int(100, 999)} ${rng.int(100000, 999999)}`,
      website: `https://www.${name.toLowerCase().replace(/[^a-z]+/g, '')}.example.co.uk`, address: `${rng.int(1, 200)} Industrial Estate, UK`,
      currency_code: 'GBP', lead_time_days: lead, minimum_order_value: money(rng.int(0, 50) * 1000), payment_terms: rng.pick(['Net 30', 'Net 60', 'Prepaid']),
      notes: null, rating: rng.int(1, 5), is_active: rng.chance(0.9), created_at: ts(created), updated_at: ts(created + 30 * DAY),
    });
  }
  const componentCount = Math.min(2000, Math.max(40, Math.ceil(listings / 5)));
  const components: ComponentInfo[] = [];
  for (let k = 0; k < componentCount; k++) {
    const id = ids.take('components');
    const [cat, kind, uom, lo, hi] = rng.pick(COMPONENT_KINDS);
    const sIdx = rng.int(0, supplierCount - 1);
    const cost = rng.int(lo, hi);
    const active = rng.chance(0.92);
    const created = D - rng.int(300, 700) * DAY;
    const history = [{ unit_cost_ex_vat: gbp(Math.round(cost * rng.range(0.85, 1))), changed_at: isoDate(created) }, { unit_cost_ex_vat: gbp(cost), changed_at: isoDate(created + 120 * DAY) }];
    tables.components.push({
      id, component_sku: `CMP-${pad(id, 5)}`, name: `${kind} ${rng.pick(['A', 'B', 'C', 'XL', 'Mini', 'Std'])}`, description: `${kind} (${uom})`,
      category: cat, supplier_id: supplierIds[sIdx], supplier_sku: `S${pad(sIdx + 1, 2)}-${rng.int(1000, 9999)}`, unit_cost_ex_vat: money(cost),
      unit_of_measure: uom, pack_size: uom === 'pack' ? rng.pick([10, 25, 50]) : 1, weight_grams: (rng.int(100, 50000) / 100).toFixed(2),
      dimensions_cm: { l: rng.int(1, 60), w: rng.int(1, 40), h: rng.int(1, 30) }, min_stock_level: rng.int(0, 50), current_stock: rng.int(0, 2000),
      reorder_point: rng.int(0, 100), price_history: history, is_active: active, created_at: ts(created), updated_at: ts(created + 120 * DAY),
    });
    // Inactive components stay in the table (history) but new BOMs use active ones only.
    if (active) components.push({ id, costPence: cost, leadTimeDays: supplierLead[sIdx]!, uom });
  }
  await insertTable(s, tables.suppliers);
  await insertTable(s, tables.components);
  await advanceSequences(s, ids, ['suppliers', 'components']);
  rows.suppliers = (rows.suppliers ?? 0) + tables.suppliers.size;
  rows.components = (rows.components ?? 0) + tables.components.size;
  return { ukId: ukId!, ukVatBp: Math.round(Number(ukVat) * 10_000), otherMarketplaceIds: others, components };
}
