-- 000_base_schema: the legacy prerequisites of 001 (SCHEMA.md §1), created only when absent, so
-- the same chain serves an empty database and a legacy one. Also creates the bookkeeping schema
-- the later migrations use to record what they themselves created, added or renamed on tables
-- that may predate them, so their down.sql never removes anything they did not create.
-- Re-runnable: every statement is guarded. No BEGIN/COMMIT: the runner wraps the file.

CREATE SCHEMA IF NOT EXISTS migration_bookkeeping;

CREATE TABLE IF NOT EXISTS migration_bookkeeping.created_objects (
    migration   varchar(100) NOT NULL,
    object_kind varchar(30)  NOT NULL,
    object_name text         NOT NULL,
    recorded_at timestamp DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT created_objects_pkey PRIMARY KEY (migration, object_kind, object_name)
);

-- Records that `migration` created/added/renamed an object (kinds: table, column, index, rename,
-- setting, ...). Names are "table" or "table.column".
CREATE OR REPLACE FUNCTION migration_bookkeeping.mark(p_migration text, p_kind text, p_name text)
RETURNS void LANGUAGE sql AS $fn$
    INSERT INTO migration_bookkeeping.created_objects (migration, object_kind, object_name)
    VALUES (p_migration, p_kind, p_name)
    ON CONFLICT DO NOTHING;
$fn$;

CREATE OR REPLACE FUNCTION migration_bookkeeping.is_marked(p_migration text, p_kind text, p_name text)
RETURNS boolean LANGUAGE sql STABLE AS $fn$
    SELECT EXISTS (
        SELECT 1 FROM migration_bookkeeping.created_objects
        WHERE migration = p_migration AND object_kind = p_kind AND object_name = p_name);
$fn$;

-- Whether the table (resolved like the unqualified DDL next to it) has the column.
CREATE OR REPLACE FUNCTION migration_bookkeeping.has_column(p_table text, p_column text)
RETURNS boolean LANGUAGE sql STABLE AS $fn$
    SELECT EXISTS (
        SELECT 1 FROM pg_attribute
        WHERE attrelid = to_regclass(p_table) AND attname = p_column AND attnum > 0 AND NOT attisdropped);
$fn$;

-- Whether a constraint of that name exists on the table.
CREATE OR REPLACE FUNCTION migration_bookkeeping.has_constraint(p_table text, p_constraint text)
RETURNS boolean LANGUAGE sql STABLE AS $fn$
    SELECT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = to_regclass(p_table) AND conname = p_constraint);
$fn$;

-- Creates the enum type in the current schema, or checks that the existing one has exactly these
-- values in this order (an existing enum with other values is an error, not silently accepted).
CREATE OR REPLACE FUNCTION migration_bookkeeping.ensure_enum(p_name text, p_values text[])
RETURNS void LANGUAGE plpgsql AS $fn$
DECLARE
    existing text[];
BEGIN
    SELECT array_agg(e.enumlabel::text ORDER BY e.enumsortorder) INTO existing
    FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid
    WHERE t.typname = p_name AND t.typnamespace = current_schema()::regnamespace;
    IF existing IS NULL THEN
        EXECUTE format('CREATE TYPE %I AS ENUM (%s)', p_name,
                       (SELECT string_agg(quote_literal(v), ', ' ORDER BY o) FROM unnest(p_values) WITH ORDINALITY AS u(v, o)));
    ELSIF existing IS DISTINCT FROM p_values THEN
        RAISE EXCEPTION 'enum type % already exists with values % (expected %)', p_name, existing, p_values;
    END IF;
END
$fn$;

DO $$
BEGIN
    IF to_regclass(format('%I.listings', current_schema())) IS NULL THEN
        CREATE TABLE listings (
            id                   serial NOT NULL,
            sku                  varchar(100) NOT NULL,
            asin                 varchar(20),
            title                text,
            description          text,
            "bulletPoints"       jsonb DEFAULT '[]'::jsonb,
            price                numeric(10,2) DEFAULT 0,
            quantity             integer DEFAULT 0,
            category             varchar(255),
            status               varchar(50) DEFAULT 'active',
            "currentScore"       integer,
            "fulfillmentChannel" varchar(20) DEFAULT 'FBM',
            "createdAt"          timestamp DEFAULT CURRENT_TIMESTAMP,
            "updatedAt"          timestamp DEFAULT CURRENT_TIMESTAMP,
            CONSTRAINT listings_pkey PRIMARY KEY (id),
            CONSTRAINT listings_sku_key UNIQUE (sku)
        );
        CREATE INDEX idx_listings_sku ON listings (sku);
        CREATE INDEX idx_listings_asin ON listings (asin);
        CREATE INDEX idx_listings_status ON listings (status);
        PERFORM migration_bookkeeping.mark('000_base_schema', 'table', 'listings');
    END IF;

    IF to_regclass(format('%I.settings', current_schema())) IS NULL THEN
        CREATE TABLE settings (
            id          serial NOT NULL,
            key         varchar(100) NOT NULL,
            value       jsonb,
            description text,
            "updatedAt" timestamp DEFAULT CURRENT_TIMESTAMP,
            CONSTRAINT settings_pkey PRIMARY KEY (id),
            CONSTRAINT settings_key_key UNIQUE (key)
        );
        CREATE INDEX idx_settings_key ON settings (key);
        PERFORM migration_bookkeeping.mark('000_base_schema', 'table', 'settings');
    END IF;
END
$$;
