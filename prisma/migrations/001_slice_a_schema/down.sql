-- Rollback of 001_slice_a_schema (RUNBOOK §8.4), run after 002 is rolled back. Unlike the
-- runbook, it undoes the renames it made and drops idx_listings_seller_sku, drops
-- listings.marketplace_id only if 001 added it, and deletes only the settings rows 001 inserted
-- whose value is still the seeded one (a value the user changed is kept). No CASCADE: children
-- are dropped first, so anything unexpected that depends on these tables makes it fail loudly.

DELETE FROM settings s
USING (VALUES
        ('guardrails.min_margin', '0.15'::jsonb),
        ('guardrails.max_price_change_pct_per_day', '0.05'::jsonb),
        ('guardrails.min_days_of_cover_before_price_change', '7'::jsonb),
        ('guardrails.min_stock_threshold', '5'::jsonb),
        ('default_vat_rate', '0.20'::jsonb)) AS seed(key, value)
WHERE s.key = seed.key
  AND s.value = seed.value
  AND migration_bookkeeping.is_marked('001_slice_a_schema', 'setting', s.key);

DROP INDEX IF EXISTS idx_listings_seller_sku;
DROP INDEX IF EXISTS idx_listings_marketplace;
ALTER TABLE listings DROP CONSTRAINT IF EXISTS listings_marketplace_id_fkey;

DO $$
BEGIN
    IF migration_bookkeeping.is_marked('001_slice_a_schema', 'column', 'listings.marketplace_id') THEN
        ALTER TABLE listings DROP COLUMN IF EXISTS marketplace_id;
    END IF;
    IF migration_bookkeeping.is_marked('001_slice_a_schema', 'rename', 'listings.quantity:available_quantity') THEN
        ALTER TABLE listings RENAME COLUMN available_quantity TO quantity;
    ELSIF migration_bookkeeping.is_marked('001_slice_a_schema', 'column', 'listings.available_quantity') THEN
        ALTER TABLE listings DROP COLUMN IF EXISTS available_quantity;
    END IF;
    IF migration_bookkeeping.is_marked('001_slice_a_schema', 'rename', 'listings.price:price_inc_vat') THEN
        ALTER TABLE listings RENAME COLUMN price_inc_vat TO price;
    ELSIF migration_bookkeeping.is_marked('001_slice_a_schema', 'column', 'listings.price_inc_vat') THEN
        ALTER TABLE listings DROP COLUMN IF EXISTS price_inc_vat;
    END IF;
    IF migration_bookkeeping.is_marked('001_slice_a_schema', 'rename', 'listings.sku:seller_sku') THEN
        ALTER TABLE listings RENAME COLUMN seller_sku TO sku;
    END IF;
END
$$;

DROP TABLE IF EXISTS listing_cost_overrides;
DROP TABLE IF EXISTS bom_lines;
DROP TABLE IF EXISTS boms;
DROP TABLE IF EXISTS components;
DROP TABLE IF EXISTS suppliers;
DROP TABLE IF EXISTS marketplaces;
DROP TYPE IF EXISTS bom_scope_type;

DELETE FROM migration_bookkeeping.created_objects WHERE migration = '001_slice_a_schema';
