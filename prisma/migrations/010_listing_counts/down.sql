-- Rollback of 010_listing_counts: the counters, their triggers and functions. The counters hold
-- nothing of their own: migrating up again recounts listings, so the rollback check does not ask
-- for --yes for them.
-- derived: listing_counts
DROP TRIGGER IF EXISTS listing_counts_truncate ON listings;
DROP TRIGGER IF EXISTS listing_counts_update ON listings;
DROP TRIGGER IF EXISTS listing_counts_delete ON listings;
DROP TRIGGER IF EXISTS listing_counts_insert ON listings;
DROP FUNCTION IF EXISTS listing_counts_on_truncate();
DROP FUNCTION IF EXISTS listing_counts_on_update();
DROP FUNCTION IF EXISTS listing_counts_on_delete();
DROP FUNCTION IF EXISTS listing_counts_on_insert();
DROP FUNCTION IF EXISTS listing_counts_apply(jsonb);
DROP TABLE IF EXISTS listing_counts;
