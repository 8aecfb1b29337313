-- Rollback of 004_slice_d_schema (RUNBOOK §8.1), run after 005 is rolled back. No CASCADE:
-- events are dropped before their recommendations, then the types nothing uses any more.

DROP TABLE IF EXISTS recommendation_events;
DROP TABLE IF EXISTS recommendations;
DROP TYPE IF EXISTS recommendation_event_type;
DROP TYPE IF EXISTS recommendation_status;
DROP TYPE IF EXISTS recommendation_type;
DROP TYPE IF EXISTS confidence_band;
