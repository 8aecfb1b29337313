-- Rollback of 002_slice_b_schema (RUNBOOK §8.3), run after 003 is rolled back. Unlike the
-- runbook, it drops listings.status / fulfillment_channel / category only if 002 added them (on a
-- legacy base status and category hold legacy data and are kept), and deletes only the settings
-- rows 002 itself inserted whose value is unchanged (not every guardrails.% key). No CASCADE.

DELETE FROM settings s
USING (VALUES
        ('guardrails.min_margin', '0.15'::jsonb),
        ('guardrails.max_price_change_pct_per_day', '0.05'::jsonb),
        ('guardrails.min_days_of_cover_before_price_change', '7'::jsonb),
        ('guardrails.min_stock_threshold', '5'::jsonb),
        ('guardrails.allow_price_below_break_even', 'false'::jsonb)) AS seed(key, value)
WHERE s.key = seed.key
  AND s.value = seed.value
  AND migration_bookkeeping.is_marked('002_slice_b_schema', 'setting', s.key);

DO $$
BEGIN
    IF migration_bookkeeping.is_marked('002_slice_b_schema', 'index', 'idx_listings_status') THEN
        DROP INDEX IF EXISTS idx_listings_status;
    END IF;
    IF migration_bookkeeping.is_marked('002_slice_b_schema', 'column', 'listings.category') THEN
        ALTER TABLE listings DROP COLUMN IF EXISTS category;
    END IF;
    IF migration_bookkeeping.is_marked('002_slice_b_schema', 'column', 'listings.fulfillment_channel') THEN
        ALTER TABLE listings DROP COLUMN IF EXISTS fulfillment_channel;
    END IF;
    IF migration_bookkeeping.is_marked('002_slice_b_schema', 'column', 'listings.status') THEN
        ALTER TABLE listings DROP COLUMN IF EXISTS status;
    END IF;
END
$$;

DROP TABLE IF EXISTS fee_snapshots;
DROP TABLE IF EXISTS listing_offer_current;
DROP TABLE IF EXISTS listing_events;
DROP TABLE IF EXISTS jobs;
DROP TYPE IF EXISTS listing_event_type;
DROP TYPE IF EXISTS buy_box_status_type;
DROP TYPE IF EXISTS job_scope_type;
DROP TYPE IF EXISTS job_status;
DROP TYPE IF EXISTS job_type;

DELETE FROM migration_bookkeeping.created_objects WHERE migration = '002_slice_b_schema';
