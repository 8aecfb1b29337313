-- 003_slice_c_schema (SCHEMA.md §4): ASIN entities, Keepa and catalog snapshots, daily sales and
-- the feature store; boms gains its FK to asin_entities and the one-active-scenario index; jobs
-- gains the FK to asin_entities the runbook §7.1 promises (absent from the reference).
-- Re-runnable: every statement is guarded.

SELECT migration_bookkeeping.ensure_enum('feature_entity_type', ARRAY['LISTING', 'ASIN']);

CREATE TABLE IF NOT EXISTS asin_entities (
    id             serial NOT NULL,
    asin           varchar(20) NOT NULL,
    marketplace_id integer NOT NULL,
    title          text,
    brand          varchar(255),
    category       varchar(255),
    subcategory    varchar(255),
    main_image_url text,
    listing_id     integer,
    is_tracked     boolean DEFAULT false,
    tracked_at     timestamp,
    notes          text,
    created_at     timestamp DEFAULT CURRENT_TIMESTAMP,
    updated_at     timestamp DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT asin_entities_pkey PRIMARY KEY (id),
    CONSTRAINT asin_entities_marketplace_id_fkey FOREIGN KEY (marketplace_id) REFERENCES marketplaces (id),
    CONSTRAINT asin_entities_listing_id_fkey FOREIGN KEY (listing_id) REFERENCES listings (id) ON DELETE SET NULL,
    CONSTRAINT asin_entities_unique UNIQUE (asin, marketplace_id)
);
CREATE INDEX IF NOT EXISTS idx_asin_entities_asin ON asin_entities (asin);
CREATE INDEX IF NOT EXISTS idx_asin_entities_marketplace ON asin_entities (marketplace_id);
CREATE INDEX IF NOT EXISTS idx_asin_entities_listing ON asin_entities (listing_id);
CREATE INDEX IF NOT EXISTS idx_asin_entities_tracked ON asin_entities (is_tracked) WHERE is_tracked = true;

CREATE TABLE IF NOT EXISTS keepa_snapshots (
    id             serial NOT NULL,
    asin           varchar(20) NOT NULL,
    marketplace_id integer NOT NULL,
    asin_entity_id integer,
    raw_json       jsonb,
    parsed_json    jsonb,
    captured_at    timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP,
    created_at     timestamp DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT keepa_snapshots_pkey PRIMARY KEY (id),
    CONSTRAINT keepa_snapshots_marketplace_id_fkey FOREIGN KEY (marketplace_id) REFERENCES marketplaces (id),
    CONSTRAINT keepa_snapshots_asin_entity_id_fkey FOREIGN KEY (asin_entity_id) REFERENCES asin_entities (id) ON DELETE SET NULL
);
CREATE INDEX IF NOT EXISTS idx_keepa_snapshots_asin ON keepa_snapshots (asin);
CREATE INDEX IF NOT EXISTS idx_keepa_snapshots_marketplace ON keepa_snapshots (marketplace_id);
CREATE INDEX IF NOT EXISTS idx_keepa_snapshots_asin_entity ON keepa_snapshots (asin_entity_id);
CREATE INDEX IF NOT EXISTS idx_keepa_snapshots_captured ON keepa_snapshots (asin, marketplace_id, captured_at DESC);

CREATE TABLE IF NOT EXISTS amazon_catalog_snapshots (
    id             serial NOT NULL,
    asin           varchar(20) NOT NULL,
    marketplace_id integer NOT NULL,
    asin_entity_id integer,
    raw_json       jsonb,
    parsed_json    jsonb,
    captured_at    timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP,
    created_at     timestamp DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT amazon_catalog_snapshots_pkey PRIMARY KEY (id),
    CONSTRAINT amazon_catalog_snapshots_marketplace_id_fkey FOREIGN KEY (marketplace_id) REFERENCES marketplaces (id),
    CONSTRAINT amazon_catalog_snapshots_asin_entity_id_fkey FOREIGN KEY (asin_entity_id) REFERENCES asin_entities (id) ON DELETE SET NULL
);
CREATE INDEX IF NOT EXISTS idx_amazon_catalog_asin ON amazon_catalog_snapshots (asin);
CREATE INDEX IF NOT EXISTS idx_amazon_catalog_marketplace ON amazon_catalog_snapshots (marketplace_id);
CREATE INDEX IF NOT EXISTS idx_amazon_catalog_asin_entity ON amazon_catalog_snapshots (asin_entity_id);
CREATE INDEX IF NOT EXISTS idx_amazon_catalog_captured ON amazon_catalog_snapshots (asin, marketplace_id, captured_at DESC);

CREATE TABLE IF NOT EXISTS listing_sales_daily (
    id              serial NOT NULL,
    listing_id      integer NOT NULL,
    date            date NOT NULL,
    units           integer DEFAULT 0,
    revenue_inc_vat numeric(12,2) DEFAULT 0,
    sessions        integer,
    page_views      integer,
    conversion_rate numeric(5,4),
    created_at      timestamp DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT listing_sales_daily_pkey PRIMARY KEY (id),
    CONSTRAINT listing_sales_daily_listing_id_fkey FOREIGN KEY (listing_id) REFERENCES listings (id) ON DELETE CASCADE,
    CONSTRAINT listing_sales_daily_unique UNIQUE (listing_id, date)
);
CREATE INDEX IF NOT EXISTS idx_listing_sales_daily_listing ON listing_sales_daily (listing_id);
CREATE INDEX IF NOT EXISTS idx_listing_sales_daily_date ON listing_sales_daily (listing_id, date DESC);

-- entity_id is a listing id or an asin_entities id depending on entity_type: no FK.
CREATE TABLE IF NOT EXISTS feature_store (
    id              serial NOT NULL,
    entity_type     feature_entity_type NOT NULL,
    entity_id       integer NOT NULL,
    feature_version integer NOT NULL DEFAULT 1,
    features_json   jsonb NOT NULL,
    computed_at     timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP,
    created_at      timestamp DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT feature_store_pkey PRIMARY KEY (id)
);
CREATE INDEX IF NOT EXISTS idx_feature_store_entity ON feature_store (entity_type, entity_id);
CREATE INDEX IF NOT EXISTS idx_feature_store_computed ON feature_store (entity_type, entity_id, computed_at DESC);
CREATE INDEX IF NOT EXISTS idx_feature_store_version ON feature_store (feature_version);

DO $$
BEGIN
    IF NOT migration_bookkeeping.has_column('listings', 'asin') THEN
        ALTER TABLE listings ADD COLUMN asin varchar(20);
        PERFORM migration_bookkeeping.mark('003_slice_c_schema', 'column', 'listings.asin');
    END IF;
    IF to_regclass(format('%I.idx_listings_asin', current_schema())) IS NULL THEN
        CREATE INDEX idx_listings_asin ON listings (asin);
        PERFORM migration_bookkeeping.mark('003_slice_c_schema', 'index', 'idx_listings_asin');
    END IF;

    IF NOT migration_bookkeeping.has_constraint('boms', 'boms_asin_entity_fk') THEN
        ALTER TABLE boms ADD CONSTRAINT boms_asin_entity_fk
            FOREIGN KEY (asin_entity_id) REFERENCES asin_entities (id) ON DELETE CASCADE;
    END IF;
    IF NOT migration_bookkeeping.has_constraint('jobs', 'jobs_asin_entity_id_fkey') THEN
        ALTER TABLE jobs ADD CONSTRAINT jobs_asin_entity_id_fkey
            FOREIGN KEY (asin_entity_id) REFERENCES asin_entities (id) ON DELETE SET NULL;
    END IF;
END
$$;

-- One active ASIN_SCENARIO BOM per ASIN entity.
CREATE UNIQUE INDEX IF NOT EXISTS boms_asin_active_unique ON boms (asin_entity_id)
    WHERE is_active = true AND scope_type = 'ASIN_SCENARIO' AND asin_entity_id IS NOT NULL;
