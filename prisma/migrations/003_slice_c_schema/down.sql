-- Rollback of 003_slice_c_schema (RUNBOOK §8.2), run after 004 is rolled back. Unlike the
-- runbook, listings.asin (and idx_listings_asin) is dropped only if 003 added it: on a legacy
-- base it holds legacy data. No CASCADE on tables or the type: dropping feature_entity_type while
-- 004 still uses it fails instead of silently dropping recommendations.entity_type.

ALTER TABLE IF EXISTS jobs DROP CONSTRAINT IF EXISTS jobs_asin_entity_id_fkey;
ALTER TABLE IF EXISTS boms DROP CONSTRAINT IF EXISTS boms_asin_entity_fk;
DROP INDEX IF EXISTS boms_asin_active_unique;

DROP TABLE IF EXISTS feature_store;
DROP TABLE IF EXISTS listing_sales_daily;
DROP TABLE IF EXISTS amazon_catalog_snapshots;
DROP TABLE IF EXISTS keepa_snapshots;
DROP TABLE IF EXISTS asin_entities;
DROP TYPE IF EXISTS feature_entity_type;

DO $$
BEGIN
    IF migration_bookkeeping.is_marked('003_slice_c_schema', 'index', 'idx_listings_asin') THEN
        DROP INDEX IF EXISTS idx_listings_asin;
    END IF;
    IF migration_bookkeeping.is_marked('003_slice_c_schema', 'column', 'listings.asin') THEN
        ALTER TABLE listings DROP COLUMN IF EXISTS asin;
    END IF;
END
$$;

DELETE FROM migration_bookkeeping.created_objects WHERE migration = '003_slice_c_schema';
