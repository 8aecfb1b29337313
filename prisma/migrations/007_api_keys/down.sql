-- Rollback of 007_api_keys: drops api_keys only if 007 created it (bookkeeping), and forgets the
-- mark. Nothing else is touched, so every other table keeps every row.
DO $$
BEGIN
    IF migration_bookkeeping.is_marked('007_api_keys', 'table', 'api_keys') THEN
        DROP TABLE IF EXISTS api_keys;
    END IF;
END
$$;
DELETE FROM migration_bookkeeping.created_objects WHERE migration = '007_api_keys';
