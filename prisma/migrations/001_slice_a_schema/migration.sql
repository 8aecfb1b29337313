-- 001_slice_a_schema (SCHEMA.md §2): marketplaces, suppliers, components, BOMs, BOM lines and cost
-- overrides; listings gains marketplace_id and its sku/price/quantity columns are renamed; the
-- guardrail settings are seeded. Constraint names that PostgreSQL would generate are spelled out.
-- Re-runnable: every statement is guarded. Needs 000_base_schema (listings, settings, bookkeeping).

SELECT migration_bookkeeping.ensure_enum('bom_scope_type', ARRAY['LISTING', 'ASIN_SCENARIO']);

CREATE TABLE IF NOT EXISTS marketplaces (
    id                    serial NOT NULL,
    amazon_marketplace_id varchar(20) NOT NULL,
    name                  varchar(100) NOT NULL,
    country_code          varchar(2) NOT NULL,
    currency_code         varchar(3) NOT NULL DEFAULT 'GBP',
    vat_rate              numeric(5,4) NOT NULL DEFAULT 0.20,
    is_active             boolean DEFAULT true,
    created_at            timestamp DEFAULT CURRENT_TIMESTAMP,
    updated_at            timestamp DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT marketplaces_pkey PRIMARY KEY (id),
    CONSTRAINT marketplaces_amazon_marketplace_id_key UNIQUE (amazon_marketplace_id)
);

INSERT INTO marketplaces (amazon_marketplace_id, name, country_code, currency_code, vat_rate)
VALUES ('A1F83G8C2ARO7P', 'Amazon UK', 'GB', 'GBP', 0.20)
ON CONFLICT (amazon_marketplace_id) DO NOTHING;

CREATE TABLE IF NOT EXISTS suppliers (
    id                  serial NOT NULL,
    name                varchar(255) NOT NULL,
    contact_name        varchar(255),
    email               varchar(255),
    phone               varchar(50),
    website             varchar(500),
    address             text,
    currency_code       varchar(3) DEFAULT 'GBP',
    lead_time_days      integer DEFAULT 7,
    minimum_order_value numeric(12,2) DEFAULT 0,
    payment_terms       varchar(100),
    notes               text,
    rating              integer,
    is_active           boolean DEFAULT true,
    created_at          timestamp DEFAULT CURRENT_TIMESTAMP,
    updated_at          timestamp DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT suppliers_pkey PRIMARY KEY (id),
    CONSTRAINT suppliers_rating_check CHECK (rating >= 1 AND rating <= 5)
);
CREATE INDEX IF NOT EXISTS idx_suppliers_name ON suppliers (name);
CREATE INDEX IF NOT EXISTS idx_suppliers_is_active ON suppliers (is_active);

CREATE TABLE IF NOT EXISTS components (
    id               serial NOT NULL,
    component_sku    varchar(100) NOT NULL,
    name             varchar(255) NOT NULL,
    description      text,
    category         varchar(100) DEFAULT 'General',
    supplier_id      integer,
    supplier_sku     varchar(100),
    unit_cost_ex_vat numeric(12,2) NOT NULL DEFAULT 0,
    unit_of_measure  varchar(50) DEFAULT 'each',
    pack_size        integer DEFAULT 1,
    weight_grams     numeric(10,2),
    dimensions_cm    jsonb,
    min_stock_level  integer DEFAULT 0,
    current_stock    integer DEFAULT 0,
    reorder_point    integer DEFAULT 0,
    price_history    jsonb DEFAULT '[]'::jsonb,
    is_active        boolean DEFAULT true,
    created_at       timestamp DEFAULT CURRENT_TIMESTAMP,
    updated_at       timestamp DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT components_pkey PRIMARY KEY (id),
    CONSTRAINT components_component_sku_key UNIQUE (component_sku),
    CONSTRAINT components_supplier_id_fkey FOREIGN KEY (supplier_id) REFERENCES suppliers (id) ON DELETE SET NULL
);
CREATE INDEX IF NOT EXISTS idx_components_sku ON components (component_sku);
CREATE INDEX IF NOT EXISTS idx_components_supplier ON components (supplier_id);
CREATE INDEX IF NOT EXISTS idx_components_category ON components (category);
CREATE INDEX IF NOT EXISTS idx_components_is_active ON components (is_active);

CREATE TABLE IF NOT EXISTS boms (
    id             serial NOT NULL,
    listing_id     integer,
    asin_entity_id integer,
    scope_type     bom_scope_type NOT NULL DEFAULT 'LISTING',
    version        integer NOT NULL DEFAULT 1,
    is_active      boolean NOT NULL DEFAULT false,
    effective_from timestamp DEFAULT CURRENT_TIMESTAMP,
    effective_to   timestamp,
    notes          text,
    created_at     timestamp DEFAULT CURRENT_TIMESTAMP,
    updated_at     timestamp DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT boms_pkey PRIMARY KEY (id),
    CONSTRAINT boms_listing_id_fkey FOREIGN KEY (listing_id) REFERENCES listings (id) ON DELETE CASCADE,
    CONSTRAINT boms_version_unique UNIQUE (listing_id, version)
);
-- One active LISTING BOM per listing (DEPRECATION_PLAN §12).
CREATE UNIQUE INDEX IF NOT EXISTS boms_listing_active_unique ON boms (listing_id)
    WHERE is_active = true AND scope_type = 'LISTING';
CREATE INDEX IF NOT EXISTS idx_boms_listing ON boms (listing_id);
CREATE INDEX IF NOT EXISTS idx_boms_is_active ON boms (is_active);
CREATE INDEX IF NOT EXISTS idx_boms_scope ON boms (scope_type);

CREATE TABLE IF NOT EXISTS bom_lines (
    id           serial NOT NULL,
    bom_id       integer NOT NULL,
    component_id integer NOT NULL,
    quantity     numeric(10,4) NOT NULL,
    wastage_rate numeric(5,4) DEFAULT 0,
    notes        text,
    created_at   timestamp DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT bom_lines_pkey PRIMARY KEY (id),
    CONSTRAINT bom_lines_bom_id_fkey FOREIGN KEY (bom_id) REFERENCES boms (id) ON DELETE CASCADE,
    CONSTRAINT bom_lines_component_id_fkey FOREIGN KEY (component_id) REFERENCES components (id) ON DELETE RESTRICT,
    CONSTRAINT bom_lines_quantity_check CHECK (quantity > 0),
    CONSTRAINT bom_lines_wastage_rate_check CHECK (wastage_rate >= 0 AND wastage_rate < 1),
    CONSTRAINT bom_lines_unique UNIQUE (bom_id, component_id)
);
CREATE INDEX IF NOT EXISTS idx_bom_lines_bom ON bom_lines (bom_id);
CREATE INDEX IF NOT EXISTS idx_bom_lines_component ON bom_lines (component_id);

CREATE TABLE IF NOT EXISTS listing_cost_overrides (
    id                    serial NOT NULL,
    listing_id            integer NOT NULL,
    shipping_cost_ex_vat  numeric(12,2) DEFAULT 0,
    packaging_cost_ex_vat numeric(12,2) DEFAULT 0,
    handling_cost_ex_vat  numeric(12,2) DEFAULT 0,
    other_cost_ex_vat     numeric(12,2) DEFAULT 0,
    notes                 text,
    created_at            timestamp DEFAULT CURRENT_TIMESTAMP,
    updated_at            timestamp DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT listing_cost_overrides_pkey PRIMARY KEY (id),
    CONSTRAINT listing_cost_overrides_listing_id_key UNIQUE (listing_id),
    CONSTRAINT listing_cost_overrides_listing_id_fkey FOREIGN KEY (listing_id) REFERENCES listings (id) ON DELETE CASCADE
);
-- Redundant with the UNIQUE, kept because the reference (and prisma/schema.prisma) have it.
CREATE INDEX IF NOT EXISTS idx_listing_cost_overrides_listing ON listing_cost_overrides (listing_id);

-- listings: marketplace_id (backfilled with the GB marketplace), then the renames. Each step is
-- recorded so that down.sql undoes exactly what this file did.
DO $$
BEGIN
    IF NOT migration_bookkeeping.has_column('listings', 'marketplace_id') THEN
        ALTER TABLE listings ADD COLUMN marketplace_id integer;
        UPDATE listings
        SET marketplace_id = (SELECT id FROM marketplaces WHERE amazon_marketplace_id = 'A1F83G8C2ARO7P');
        PERFORM migration_bookkeeping.mark('001_slice_a_schema', 'column', 'listings.marketplace_id');
    END IF;
    IF NOT migration_bookkeeping.has_constraint('listings', 'listings_marketplace_id_fkey') THEN
        ALTER TABLE listings ADD CONSTRAINT listings_marketplace_id_fkey
            FOREIGN KEY (marketplace_id) REFERENCES marketplaces (id);
    END IF;

    IF migration_bookkeeping.has_column('listings', 'sku') AND NOT migration_bookkeeping.has_column('listings', 'seller_sku') THEN
        ALTER TABLE listings RENAME COLUMN sku TO seller_sku;
        PERFORM migration_bookkeeping.mark('001_slice_a_schema', 'rename', 'listings.sku:seller_sku');
    ELSIF NOT migration_bookkeeping.has_column('listings', 'seller_sku') THEN
        RAISE EXCEPTION 'listings has neither sku nor seller_sku: it is not the legacy listings table 001 expects';
    END IF;

    IF migration_bookkeeping.has_column('listings', 'price') AND NOT migration_bookkeeping.has_column('listings', 'price_inc_vat') THEN
        ALTER TABLE listings RENAME COLUMN price TO price_inc_vat;
        PERFORM migration_bookkeeping.mark('001_slice_a_schema', 'rename', 'listings.price:price_inc_vat');
    ELSIF NOT migration_bookkeeping.has_column('listings', 'price_inc_vat') THEN
        ALTER TABLE listings ADD COLUMN price_inc_vat numeric(10,2) DEFAULT 0;
        PERFORM migration_bookkeeping.mark('001_slice_a_schema', 'column', 'listings.price_inc_vat');
    END IF;

    IF migration_bookkeeping.has_column('listings', 'quantity') AND NOT migration_bookkeeping.has_column('listings', 'available_quantity') THEN
        ALTER TABLE listings RENAME COLUMN quantity TO available_quantity;
        PERFORM migration_bookkeeping.mark('001_slice_a_schema', 'rename', 'listings.quantity:available_quantity');
    ELSIF NOT migration_bookkeeping.has_column('listings', 'available_quantity') THEN
        ALTER TABLE listings ADD COLUMN available_quantity integer DEFAULT 0;
        PERFORM migration_bookkeeping.mark('001_slice_a_schema', 'column', 'listings.available_quantity');
    END IF;
END
$$;

CREATE INDEX IF NOT EXISTS idx_listings_marketplace ON listings (marketplace_id);
CREATE INDEX IF NOT EXISTS idx_listings_seller_sku ON listings (seller_sku);

-- Seeds: only rows this file actually inserts are recorded (a key the user already has is left
-- alone now and on rollback).
WITH seeded AS (
    INSERT INTO settings (key, value, description) VALUES
        ('guardrails.min_margin', '0.15', 'Minimum acceptable profit margin (0.15 = 15%)'),
        ('guardrails.max_price_change_pct_per_day', '0.05', 'Maximum price change per day (0.05 = 5%)'),
        ('guardrails.min_days_of_cover_before_price_change', '7', 'Min stock days before allowing price cut'),
        ('guardrails.min_stock_threshold', '5', 'Minimum stock level before alerts'),
        ('default_vat_rate', '0.20', 'Default VAT rate (0.20 = 20%)')
    ON CONFLICT (key) DO NOTHING
    RETURNING key
)
INSERT INTO migration_bookkeeping.created_objects (migration, object_kind, object_name)
SELECT '001_slice_a_schema', 'setting', key FROM seeded
ON CONFLICT DO NOTHING;
