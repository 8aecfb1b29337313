-- Rollback of 005_integrity: drops its constraints and index and restores exactly the legacy
-- columns it renamed or replaced, with their values.

DROP INDEX IF EXISTS jobs_publish_dedup_unique;
ALTER TABLE IF EXISTS boms DROP CONSTRAINT IF EXISTS boms_asin_version_unique;
ALTER TABLE IF EXISTS boms DROP CONSTRAINT IF EXISTS boms_scope_owner_check;
ALTER TABLE IF EXISTS feature_store DROP CONSTRAINT IF EXISTS feature_store_margin_check;
ALTER TABLE IF EXISTS feature_store DROP CONSTRAINT IF EXISTS feature_store_bom_cost_ex_vat_check;
ALTER TABLE IF EXISTS jobs DROP CONSTRAINT IF EXISTS jobs_attempts_max_check;

DO $$
DECLARE
    r record;
    longest integer;
BEGIN
    IF migration_bookkeeping.is_marked('005_integrity', 'dropped-index', 'idx_listings_sku') THEN
        CREATE INDEX IF NOT EXISTS idx_listings_sku ON listings (seller_sku);
    END IF;

    IF migration_bookkeeping.is_marked('005_integrity', 'widened', 'listings.fulfillment_channel') THEN
        SELECT max(length(fulfillment_channel)) INTO longest FROM listings;
        IF coalesce(longest, 0) <= 10 THEN
            ALTER TABLE listings ALTER COLUMN fulfillment_channel TYPE varchar(10);
        ELSE
            RAISE NOTICE 'listings.fulfillment_channel kept as varchar(20): a value is longer than 10 characters';
        END IF;
    END IF;
    IF migration_bookkeeping.is_marked('005_integrity', 'rename', 'listings.fulfillmentChannel:fulfillment_channel') THEN
        ALTER TABLE listings RENAME COLUMN fulfillment_channel TO "fulfillmentChannel";
    END IF;
    IF migration_bookkeeping.is_marked('005_integrity', 'dropped-column', 'listings.fulfillment_channel') THEN
        -- 002's column as 002 created it (default only; the values live in "fulfillmentChannel").
        ALTER TABLE listings ADD COLUMN fulfillment_channel varchar(10) DEFAULT 'FBM';
    END IF;

    FOR r IN SELECT * FROM (VALUES
            ('listings', 'bulletPoints', 'bullet_points'),
            ('listings', 'currentScore', 'current_score'),
            ('listings', 'createdAt', 'created_at'),
            ('listings', 'updatedAt', 'updated_at'),
            ('settings', 'updatedAt', 'updated_at')) AS v(tbl, old_name, new_name)
    LOOP
        IF migration_bookkeeping.is_marked('005_integrity', 'rename', format('%s.%s:%s', r.tbl, r.old_name, r.new_name)) THEN
            EXECUTE format('ALTER TABLE %I RENAME COLUMN %I TO %I', r.tbl, r.new_name, r.old_name);
        END IF;
    END LOOP;
END
$$;

DELETE FROM migration_bookkeeping.created_objects WHERE migration = '005_integrity';
