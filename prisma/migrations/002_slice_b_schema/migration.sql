-- 002_slice_b_schema (SCHEMA.md §3): jobs, listing events, current offers and fee snapshots with
-- their enums; listings gains status/fulfillment_channel/category when missing; the guardrail
-- settings are seeded again plus guardrails.allow_price_below_break_even.
-- Re-runnable: every statement is guarded.

SELECT migration_bookkeeping.ensure_enum('job_type', ARRAY[
    'SYNC_AMAZON_OFFER', 'SYNC_AMAZON_SALES', 'SYNC_AMAZON_CATALOG', 'SYNC_KEEPA_ASIN',
    'COMPUTE_FEATURES_LISTING', 'COMPUTE_FEATURES_ASIN',
    'GENERATE_RECOMMENDATIONS_LISTING', 'GENERATE_RECOMMENDATIONS_ASIN',
    'PUBLISH_PRICE_CHANGE', 'PUBLISH_STOCK_CHANGE']);
SELECT migration_bookkeeping.ensure_enum('job_status', ARRAY['PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED']);
SELECT migration_bookkeeping.ensure_enum('job_scope_type', ARRAY['LISTING', 'ASIN', 'GLOBAL']);
SELECT migration_bookkeeping.ensure_enum('listing_event_type', ARRAY[
    'PRICE_CHANGE_DRAFTED', 'PRICE_CHANGE_PUBLISHED', 'PRICE_CHANGE_SUCCEEDED', 'PRICE_CHANGE_FAILED',
    'STOCK_CHANGE_DRAFTED', 'STOCK_CHANGE_PUBLISHED', 'STOCK_CHANGE_SUCCEEDED', 'STOCK_CHANGE_FAILED',
    'BOM_UPDATED', 'COST_OVERRIDE_UPDATED', 'AMAZON_SYNC_COMPLETED', 'KEEPA_SYNC_COMPLETED',
    'FEATURES_COMPUTED', 'LISTING_CREATED', 'LISTING_ARCHIVED']);
SELECT migration_bookkeeping.ensure_enum('buy_box_status_type', ARRAY['WON', 'LOST', 'UNKNOWN']);

CREATE TABLE IF NOT EXISTS jobs (
    id             serial NOT NULL,
    job_type       job_type NOT NULL,
    scope_type     job_scope_type NOT NULL DEFAULT 'LISTING',
    listing_id     integer,
    asin_entity_id integer,           -- FK jobs_asin_entity_id_fkey is added by 003
    status         job_status NOT NULL DEFAULT 'PENDING',
    priority       integer DEFAULT 5,
    attempts       integer DEFAULT 0,
    max_attempts   integer DEFAULT 5,
    input_json     jsonb,
    result_json    jsonb,
    log_json       jsonb DEFAULT '[]'::jsonb,
    error_message  text,
    scheduled_for  timestamp DEFAULT CURRENT_TIMESTAMP,
    started_at     timestamp,
    finished_at    timestamp,
    created_by     varchar(100) DEFAULT 'system',
    created_at     timestamp DEFAULT CURRENT_TIMESTAMP,
    updated_at     timestamp DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT jobs_pkey PRIMARY KEY (id),
    CONSTRAINT jobs_listing_id_fkey FOREIGN KEY (listing_id) REFERENCES listings (id) ON DELETE SET NULL,
    CONSTRAINT jobs_priority_check CHECK (priority >= 1 AND priority <= 10)
);
CREATE INDEX IF NOT EXISTS idx_jobs_status ON jobs (status);
CREATE INDEX IF NOT EXISTS idx_jobs_type ON jobs (job_type);
CREATE INDEX IF NOT EXISTS idx_jobs_listing ON jobs (listing_id);
CREATE INDEX IF NOT EXISTS idx_jobs_scheduled ON jobs (scheduled_for) WHERE status = 'PENDING';
CREATE INDEX IF NOT EXISTS idx_jobs_created ON jobs (created_at);

CREATE TABLE IF NOT EXISTS listing_events (
    id             serial NOT NULL,
    listing_id     integer NOT NULL,
    event_type     listing_event_type NOT NULL,
    job_id         integer,
    before_json    jsonb,
    after_json     jsonb,
    reason         text,
    correlation_id varchar(100),
    created_by     varchar(100) DEFAULT 'system',
    created_at     timestamp DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT listing_events_pkey PRIMARY KEY (id),
    CONSTRAINT listing_events_listing_id_fkey FOREIGN KEY (listing_id) REFERENCES listings (id) ON DELETE CASCADE,
    CONSTRAINT listing_events_job_id_fkey FOREIGN KEY (job_id) REFERENCES jobs (id) ON DELETE SET NULL
);
CREATE INDEX IF NOT EXISTS idx_listing_events_listing ON listing_events (listing_id);
CREATE INDEX IF NOT EXISTS idx_listing_events_type ON listing_events (event_type);
CREATE INDEX IF NOT EXISTS idx_listing_events_job ON listing_events (job_id);
CREATE INDEX IF NOT EXISTS idx_listing_events_created ON listing_events (created_at);
CREATE INDEX IF NOT EXISTS idx_listing_events_correlation ON listing_events (correlation_id)
    WHERE correlation_id IS NOT NULL;

CREATE TABLE IF NOT EXISTS listing_offer_current (
    listing_id             integer NOT NULL,
    price_inc_vat          numeric(12,2),
    available_quantity     integer,
    buy_box_status         buy_box_status_type DEFAULT 'UNKNOWN',
    buy_box_percentage_30d numeric(5,2),
    buy_box_price          numeric(12,2),
    is_buy_box_winner      boolean,
    observed_at            timestamp DEFAULT CURRENT_TIMESTAMP,
    created_at             timestamp DEFAULT CURRENT_TIMESTAMP,
    updated_at             timestamp DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT listing_offer_current_pkey PRIMARY KEY (listing_id),
    CONSTRAINT listing_offer_current_listing_id_fkey FOREIGN KEY (listing_id) REFERENCES listings (id) ON DELETE CASCADE
);

CREATE TABLE IF NOT EXISTS fee_snapshots (
    id                          serial NOT NULL,
    listing_id                  integer NOT NULL,
    price_inc_vat               numeric(12,2) NOT NULL,
    referral_fee_ex_vat         numeric(12,2),
    fba_fee_ex_vat              numeric(12,2),
    variable_closing_fee_ex_vat numeric(12,2),
    per_item_fee_ex_vat         numeric(12,2),
    total_fee_ex_vat            numeric(12,2) NOT NULL,
    category                    varchar(100),
    fulfillment_channel         varchar(10) DEFAULT 'FBM',
    raw_json                    jsonb,
    captured_at                 timestamp DEFAULT CURRENT_TIMESTAMP,
    created_at                  timestamp DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT fee_snapshots_pkey PRIMARY KEY (id),
    CONSTRAINT fee_snapshots_listing_id_fkey FOREIGN KEY (listing_id) REFERENCES listings (id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS idx_fee_snapshots_listing ON fee_snapshots (listing_id);
CREATE INDEX IF NOT EXISTS idx_fee_snapshots_captured ON fee_snapshots (listing_id, captured_at DESC);

-- listings: add each column only when missing (the legacy base already has status and category,
-- which are then left exactly as they are) and record what was added.
DO $$
BEGIN
    IF NOT migration_bookkeeping.has_column('listings', 'status') THEN
        ALTER TABLE listings ADD COLUMN status varchar(20) DEFAULT 'active';
        PERFORM migration_bookkeeping.mark('002_slice_b_schema', 'column', 'listings.status');
    END IF;
    IF NOT migration_bookkeeping.has_column('listings', 'fulfillment_channel') THEN
        ALTER TABLE listings ADD COLUMN fulfillment_channel varchar(10) DEFAULT 'FBM';
        PERFORM migration_bookkeeping.mark('002_slice_b_schema', 'column', 'listings.fulfillment_channel');
    END IF;
    IF NOT migration_bookkeeping.has_column('listings', 'category') THEN
        ALTER TABLE listings ADD COLUMN category varchar(100);
        PERFORM migration_bookkeeping.mark('002_slice_b_schema', 'column', 'listings.category');
    END IF;
    IF to_regclass(format('%I.idx_listings_status', current_schema())) IS NULL THEN
        CREATE INDEX idx_listings_status ON listings (status);
        PERFORM migration_bookkeeping.mark('002_slice_b_schema', 'index', 'idx_listings_status');
    END IF;
END
$$;

WITH seeded AS (
    INSERT INTO settings (key, value, description) VALUES
        ('guardrails.min_margin', '0.15', 'Minimum acceptable profit margin (0.15 = 15%)'),
        ('guardrails.max_price_change_pct_per_day', '0.05', 'Maximum price change per day (0.05 = 5%)'),
        ('guardrails.min_days_of_cover_before_price_change', '7', 'Min stock days before allowing price cut'),
        ('guardrails.min_stock_threshold', '5', 'Minimum stock level before alerts'),
        ('guardrails.allow_price_below_break_even', 'false', 'Allow prices below break-even (dangerous)')
    ON CONFLICT (key) DO NOTHING
    RETURNING key
)
INSERT INTO migration_bookkeeping.created_objects (migration, object_kind, object_name)
SELECT '002_slice_b_schema', 'setting', key FROM seeded
ON CONFLICT DO NOTHING;
