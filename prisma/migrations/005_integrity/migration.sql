-- 005_integrity: the constraints the runbook §7.2/§7.3 and DOMAIN §2/§6.3 call for, and the
-- normalisation of the legacy camelCase columns of listings/settings to the snake_case names of
-- prisma/schema.prisma. Decisions and reasons: docs/schema-decisions.md.
-- Constraints are added validated: if existing rows violate one, the migration fails (and its
-- transaction rolls back) rather than silently accepting or altering data.
-- Re-runnable: every statement is guarded.

DO $$
BEGIN
    -- Retry limit (runbook §7.2). NULL attempts/max_attempts pass, as CHECKs do.
    IF NOT migration_bookkeeping.has_constraint('jobs', 'jobs_attempts_max_check') THEN
        ALTER TABLE jobs ADD CONSTRAINT jobs_attempts_max_check CHECK (attempts <= max_attempts);
    END IF;

    -- feature_store has no bom_cost_ex_vat/margin columns: they are keys of features_json, checked
    -- only when present and numeric. CASE fixes the evaluation order, so a non-numeric value is
    -- never cast.
    IF NOT migration_bookkeeping.has_constraint('feature_store', 'feature_store_bom_cost_ex_vat_check') THEN
        ALTER TABLE feature_store ADD CONSTRAINT feature_store_bom_cost_ex_vat_check CHECK (
            CASE WHEN jsonb_typeof(features_json -> 'bom_cost_ex_vat') = 'number'
                 THEN (features_json ->> 'bom_cost_ex_vat')::numeric >= 0
                 ELSE true END);
    END IF;
    -- margin = profit / price_ex_vat = 1 - costs / price_ex_vat with costs >= 0 and price_ex_vat > 0
    -- (margin is null otherwise): never above 1, but unbounded below (costs of twice the revenue
    -- give -1, more give less), so the runbook's "BETWEEN -1 AND 1" would reject valid rows.
    IF NOT migration_bookkeeping.has_constraint('feature_store', 'feature_store_margin_check') THEN
        ALTER TABLE feature_store ADD CONSTRAINT feature_store_margin_check CHECK (
            CASE WHEN jsonb_typeof(features_json -> 'margin') = 'number'
                 THEN (features_json ->> 'margin')::numeric <= 1
                 ELSE true END);
    END IF;

    -- A BOM belongs to exactly the owner its scope names (DOMAIN §2).
    IF NOT migration_bookkeeping.has_constraint('boms', 'boms_scope_owner_check') THEN
        ALTER TABLE boms ADD CONSTRAINT boms_scope_owner_check CHECK (
            (scope_type = 'LISTING' AND listing_id IS NOT NULL AND asin_entity_id IS NULL)
            OR (scope_type = 'ASIN_SCENARIO' AND asin_entity_id IS NOT NULL AND listing_id IS NULL));
    END IF;
    -- Version numbers of ASIN-scenario BOMs (boms_version_unique never covers them: listing_id is NULL).
    IF NOT migration_bookkeeping.has_constraint('boms', 'boms_asin_version_unique') THEN
        ALTER TABLE boms ADD CONSTRAINT boms_asin_version_unique UNIQUE (asin_entity_id, version);
    END IF;
END
$$;

-- At most one queued or running publish job of each kind per listing (DOMAIN §6.3); the API maps
-- its unique violation to DUPLICATE_JOB.
CREATE UNIQUE INDEX IF NOT EXISTS jobs_publish_dedup_unique ON jobs (listing_id, job_type)
    WHERE job_type IN ('PUBLISH_PRICE_CHANGE', 'PUBLISH_STOCK_CHANGE') AND status IN ('PENDING', 'RUNNING');

-- Legacy camelCase columns -> snake_case. Renames keep types, defaults, values and indexes.
DO $$
DECLARE
    r record;
    channel_length integer;
BEGIN
    FOR r IN SELECT * FROM (VALUES
            ('listings', 'bulletPoints', 'bullet_points'),
            ('listings', 'currentScore', 'current_score'),
            ('listings', 'createdAt', 'created_at'),
            ('listings', 'updatedAt', 'updated_at'),
            ('settings', 'updatedAt', 'updated_at')) AS v(tbl, old_name, new_name)
    LOOP
        IF migration_bookkeeping.has_column(r.tbl, r.old_name) AND NOT migration_bookkeeping.has_column(r.tbl, r.new_name) THEN
            EXECUTE format('ALTER TABLE %I RENAME COLUMN %I TO %I', r.tbl, r.old_name, r.new_name);
            PERFORM migration_bookkeeping.mark('005_integrity', 'rename', format('%s.%s:%s', r.tbl, r.old_name, r.new_name));
        END IF;
    END LOOP;

    -- "fulfillmentChannel" (legacy, varchar(20), holds the data) becomes fulfillment_channel. The
    -- column 002 added beside it was never backfilled and holds only its default, so it gives way;
    -- a non-default value it holds where the legacy column is NULL is carried over first.
    IF migration_bookkeeping.has_column('listings', 'fulfillmentChannel') THEN
        IF migration_bookkeeping.has_column('listings', 'fulfillment_channel') THEN
            UPDATE listings SET "fulfillmentChannel" = fulfillment_channel
            WHERE "fulfillmentChannel" IS NULL AND fulfillment_channel IS NOT NULL AND fulfillment_channel <> 'FBM';
            ALTER TABLE listings DROP COLUMN fulfillment_channel;
            PERFORM migration_bookkeeping.mark('005_integrity', 'dropped-column', 'listings.fulfillment_channel');
        END IF;
        ALTER TABLE listings RENAME COLUMN "fulfillmentChannel" TO fulfillment_channel;
        PERFORM migration_bookkeeping.mark('005_integrity', 'rename', 'listings.fulfillmentChannel:fulfillment_channel');
    END IF;
    SELECT character_maximum_length INTO channel_length
    FROM information_schema.columns
    WHERE table_schema = current_schema() AND table_name = 'listings' AND column_name = 'fulfillment_channel';
    IF channel_length < 20 THEN
        ALTER TABLE listings ALTER COLUMN fulfillment_channel TYPE varchar(20);
        PERFORM migration_bookkeeping.mark('005_integrity', 'widened', 'listings.fulfillment_channel');
    END IF;

    -- seller_sku carries three indexes after 001: the UNIQUE's listings_sku_key,
    -- idx_listings_seller_sku and the legacy idx_listings_sku. The last is pure overhead.
    IF to_regclass(format('%I.idx_listings_sku', current_schema())) IS NOT NULL THEN
        DROP INDEX idx_listings_sku;
        PERFORM migration_bookkeeping.mark('005_integrity', 'dropped-index', 'idx_listings_sku');
    END IF;
END
$$;
