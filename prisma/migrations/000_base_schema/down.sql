-- Rollback of 000_base_schema: drops listings/settings only if 000 created them (a legacy
-- database keeps its own tables and rows), then the bookkeeping schema. Runs after 001–005 are
-- rolled back. No CASCADE: if anything still depends on a table 000 created, this fails loudly.

DO $$
BEGIN
    IF to_regnamespace('migration_bookkeeping') IS NULL THEN
        RETURN;
    END IF;
    IF migration_bookkeeping.is_marked('000_base_schema', 'table', 'settings') THEN
        DROP TABLE IF EXISTS settings;
    END IF;
    IF migration_bookkeeping.is_marked('000_base_schema', 'table', 'listings') THEN
        DROP TABLE IF EXISTS listings;
    END IF;
END
$$;

DROP SCHEMA IF EXISTS migration_bookkeeping CASCADE;
