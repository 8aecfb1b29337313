-- 009_listing_read_keys: what the listing screen sorts and filters on, kept per listing so that a
-- page ordered by MARGIN, PROFIT_PER_UNIT, UNITS_30D or BUY_BOX_PERCENTAGE reads an index instead
-- of probing every listing's latest feature row (issue 10). Values are exactly the expressions the
-- reads used before (src/resolvers/listings.ts), so orderings, ties and cursors do not change.
-- Re-runnable: every statement is guarded.

-- Trigram indexes for the `search` filter (ILIKE '%…%' on SKU, ASIN, title).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE IF NOT EXISTS listing_read_keys (
  listing_id integer PRIMARY KEY CONSTRAINT listing_read_keys_listing_id_fkey REFERENCES listings(id) ON DELETE CASCADE,
  -- The latest LISTING feature row (computed_at DESC, id DESC); NULL when there is none.
  feature_id integer,
  margin numeric,
  profit_ex_vat numeric,
  units_30d numeric,
  stockout_risk text,
  -- listing_offer_current.buy_box_percentage_30d
  buy_box_percentage_30d numeric(5, 2)
);

-- A features_json value as numeric when it is a JSON number, else NULL (as the reads did).
CREATE OR REPLACE FUNCTION listing_read_keys_refresh(p_listing integer) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO listing_read_keys AS k (listing_id, feature_id, margin, profit_ex_vat, units_30d, stockout_risk, buy_box_percentage_30d)
  SELECT l.id, f.id,
    CASE WHEN jsonb_typeof(f.features_json->'margin') = 'number' THEN (f.features_json->>'margin')::numeric END,
    CASE WHEN jsonb_typeof(f.features_json->'profit_ex_vat') = 'number' THEN (f.features_json->>'profit_ex_vat')::numeric END,
    CASE WHEN jsonb_typeof(f.features_json->'units_30d') = 'number' THEN (f.features_json->>'units_30d')::numeric END,
    f.features_json->>'stockout_risk',
    o.buy_box_percentage_30d
  FROM listings l
  LEFT JOIN LATERAL (
    SELECT fs.id, fs.features_json FROM feature_store fs
    WHERE fs.entity_type = 'LISTING' AND fs.entity_id = l.id
    ORDER BY fs.computed_at DESC, fs.id DESC LIMIT 1
  ) f ON true
  LEFT JOIN listing_offer_current o ON o.listing_id = l.id
  WHERE l.id = p_listing
  ON CONFLICT (listing_id) DO UPDATE SET
    feature_id = EXCLUDED.feature_id, margin = EXCLUDED.margin, profit_ex_vat = EXCLUDED.profit_ex_vat,
    units_30d = EXCLUDED.units_30d, stockout_risk = EXCLUDED.stockout_risk, buy_box_percentage_30d = EXCLUDED.buy_box_percentage_30d;
END $$;

-- Kept current in the writer's own transaction: a new listing, a feature row, an offer change.
CREATE OR REPLACE FUNCTION listing_read_keys_on_listing() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM listing_read_keys_refresh(NEW.id);
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION listing_read_keys_on_feature() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.entity_type = 'LISTING' THEN PERFORM listing_read_keys_refresh(OLD.entity_id); END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.entity_type = 'LISTING'
     AND (TG_OP = 'INSERT' OR OLD.entity_id IS DISTINCT FROM NEW.entity_id OR OLD.entity_type IS DISTINCT FROM NEW.entity_type
          OR OLD.features_json IS DISTINCT FROM NEW.features_json OR OLD.computed_at IS DISTINCT FROM NEW.computed_at) THEN
    PERFORM listing_read_keys_refresh(NEW.entity_id);
  END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION listing_read_keys_on_offer() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN PERFORM listing_read_keys_refresh(OLD.listing_id); END IF;
  IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.listing_id IS DISTINCT FROM OLD.listing_id) THEN PERFORM listing_read_keys_refresh(NEW.listing_id); END IF;
  RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS listing_read_keys_listing ON listings;
CREATE TRIGGER listing_read_keys_listing AFTER INSERT ON listings FOR EACH ROW EXECUTE FUNCTION listing_read_keys_on_listing();
DROP TRIGGER IF EXISTS listing_read_keys_feature ON feature_store;
CREATE TRIGGER listing_read_keys_feature AFTER INSERT OR UPDATE OR DELETE ON feature_store FOR EACH ROW EXECUTE FUNCTION listing_read_keys_on_feature();
DROP TRIGGER IF EXISTS listing_read_keys_offer ON listing_offer_current;
CREATE TRIGGER listing_read_keys_offer AFTER INSERT OR UPDATE OF listing_id, buy_box_percentage_30d OR DELETE ON listing_offer_current
  FOR EACH ROW EXECUTE FUNCTION listing_read_keys_on_offer();

-- Backfill every existing listing through the same refresh the triggers use (one rule, one home); a re-run rewrites the same rows.
SELECT listing_read_keys_refresh(id) FROM listings;

-- One index per ordering and NULL sentinel (NULLs sort last in either direction, src/resolvers/listings.ts):
-- a page walks the index from its cursor and stops after first + 1 rows.
CREATE INDEX IF NOT EXISTS idx_listing_read_keys_margin_lo ON listing_read_keys ((COALESCE(margin, '-infinity'::numeric)), listing_id);
CREATE INDEX IF NOT EXISTS idx_listing_read_keys_margin_hi ON listing_read_keys ((COALESCE(margin, 'infinity'::numeric)), listing_id);
CREATE INDEX IF NOT EXISTS idx_listing_read_keys_profit_lo ON listing_read_keys ((COALESCE(profit_ex_vat, '-infinity'::numeric)), listing_id);
CREATE INDEX IF NOT EXISTS idx_listing_read_keys_profit_hi ON listing_read_keys ((COALESCE(profit_ex_vat, 'infinity'::numeric)), listing_id);
CREATE INDEX IF NOT EXISTS idx_listing_read_keys_units_lo ON listing_read_keys ((COALESCE(units_30d, '-infinity'::numeric)), listing_id);
CREATE INDEX IF NOT EXISTS idx_listing_read_keys_units_hi ON listing_read_keys ((COALESCE(units_30d, 'infinity'::numeric)), listing_id);
CREATE INDEX IF NOT EXISTS idx_listing_read_keys_buy_box_lo ON listing_read_keys ((COALESCE(buy_box_percentage_30d, '-infinity'::numeric)), listing_id);
CREATE INDEX IF NOT EXISTS idx_listing_read_keys_buy_box_hi ON listing_read_keys ((COALESCE(buy_box_percentage_30d, 'infinity'::numeric)), listing_id);
CREATE INDEX IF NOT EXISTS idx_listings_created_lo ON listings ((COALESCE(created_at, '-infinity'::timestamp)), id);
CREATE INDEX IF NOT EXISTS idx_listings_created_hi ON listings ((COALESCE(created_at, 'infinity'::timestamp)), id);
CREATE INDEX IF NOT EXISTS idx_listings_sku_id ON listings (seller_sku, id);
CREATE INDEX IF NOT EXISTS idx_listings_sku_trgm ON listings USING gin (seller_sku gin_trgm_ops);
CREATE INDEX IF NOT EXISTS idx_listings_asin_trgm ON listings USING gin (asin gin_trgm_ops);
CREATE INDEX IF NOT EXISTS idx_listings_title_trgm ON listings USING gin (title gin_trgm_ops);
