-- Rollback of 009_listing_read_keys: the projection, its triggers and functions, the read indexes.
-- pg_trgm stays installed (another object may use it; dropping an extension is the DBA's call).
-- The projection holds nothing of its own: migrating up again rebuilds every row from listings,
-- feature_store and listing_offer_current, so the rollback check does not ask for --yes for it.
-- derived: listing_read_keys
DROP INDEX IF EXISTS idx_listings_title_trgm;
DROP INDEX IF EXISTS idx_listings_asin_trgm;
DROP INDEX IF EXISTS idx_listings_sku_trgm;
DROP INDEX IF EXISTS idx_listings_sku_id;
DROP INDEX IF EXISTS idx_listings_created_hi;
DROP INDEX IF EXISTS idx_listings_created_lo;
DROP TRIGGER IF EXISTS listing_read_keys_offer ON listing_offer_current;
DROP TRIGGER IF EXISTS listing_read_keys_feature ON feature_store;
DROP TRIGGER IF EXISTS listing_read_keys_listing ON listings;
DROP FUNCTION IF EXISTS listing_read_keys_on_offer();
DROP FUNCTION IF EXISTS listing_read_keys_on_feature();
DROP FUNCTION IF EXISTS listing_read_keys_on_listing();
DROP FUNCTION IF EXISTS listing_read_keys_refresh(integer);
DROP TABLE IF EXISTS listing_read_keys;
