-- 010_listing_counts: how many listings each (marketplace, status) pair holds, kept current in the
-- writer's own statement, so the totalCount of a page filtered by nothing but marketplace and
-- status (a dashboard's default page, a partner's marketplace limit) adds up a handful of rows
-- instead of counting the table: its cost no longer grows with the table (issue 10).
-- Statement-level triggers: a bulk insert or update touches each counter row once, in key order.
-- Re-runnable: every statement is guarded, and the counts are rebuilt from listings.

CREATE TABLE IF NOT EXISTS listing_counts (
  id serial PRIMARY KEY,
  marketplace_id integer,
  status varchar(50),
  listings integer NOT NULL,
  -- NULL is a value here: listings without a marketplace or status are counted too.
  CONSTRAINT listing_counts_key UNIQUE NULLS NOT DISTINCT (marketplace_id, status)
);

-- Adds the changes of one statement, already summed per (marketplace, status): [{marketplace_id, status, delta}].
CREATE OR REPLACE FUNCTION listing_counts_apply(p_changes jsonb) RETURNS void LANGUAGE sql AS $$
  INSERT INTO listing_counts AS c (marketplace_id, status, listings)
  SELECT x.marketplace_id, x.status, x.delta
  FROM jsonb_to_recordset(coalesce(p_changes, '[]')) AS x(marketplace_id integer, status varchar(50), delta integer)
  ORDER BY x.marketplace_id, x.status
  ON CONFLICT ON CONSTRAINT listing_counts_key DO UPDATE SET listings = c.listings + EXCLUDED.listings
$$;

CREATE OR REPLACE FUNCTION listing_counts_on_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM listing_counts_apply((SELECT jsonb_agg(jsonb_build_object('marketplace_id', g.marketplace_id, 'status', g.status, 'delta', g.n))
    FROM (SELECT marketplace_id, status, count(*) AS n FROM new_rows GROUP BY 1, 2) g));
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION listing_counts_on_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM listing_counts_apply((SELECT jsonb_agg(jsonb_build_object('marketplace_id', g.marketplace_id, 'status', g.status, 'delta', -g.n))
    FROM (SELECT marketplace_id, status, count(*) AS n FROM old_rows GROUP BY 1, 2) g));
  RETURN NULL;
END $$;

-- Old rows leave their pair, new rows join theirs; pairs that come out even (a price update) write nothing.
CREATE OR REPLACE FUNCTION listing_counts_on_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM listing_counts_apply((SELECT jsonb_agg(jsonb_build_object('marketplace_id', g.marketplace_id, 'status', g.status, 'delta', g.n))
    FROM (
      SELECT marketplace_id, status, sum(d) AS n
      FROM (SELECT marketplace_id, status, -1 AS d FROM old_rows UNION ALL SELECT marketplace_id, status, 1 FROM new_rows) moved
      GROUP BY 1, 2 HAVING sum(d) <> 0
    ) g));
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION listing_counts_on_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM listing_counts;
  RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS listing_counts_insert ON listings;
CREATE TRIGGER listing_counts_insert AFTER INSERT ON listings REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION listing_counts_on_insert();
DROP TRIGGER IF EXISTS listing_counts_delete ON listings;
CREATE TRIGGER listing_counts_delete AFTER DELETE ON listings REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION listing_counts_on_delete();
DROP TRIGGER IF EXISTS listing_counts_update ON listings;
CREATE TRIGGER listing_counts_update AFTER UPDATE ON listings REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION listing_counts_on_update();
DROP TRIGGER IF EXISTS listing_counts_truncate ON listings;
CREATE TRIGGER listing_counts_truncate AFTER TRUNCATE ON listings
  FOR EACH STATEMENT EXECUTE FUNCTION listing_counts_on_truncate();

-- The triggers above hold listings' SHARE ROW EXCLUSIVE lock until this migration commits, so no
-- write falls between the recount and the first counted statement.
DELETE FROM listing_counts;
INSERT INTO listing_counts (marketplace_id, status, listings)
SELECT marketplace_id, status, count(*) FROM listings GROUP BY marketplace_id, status;
