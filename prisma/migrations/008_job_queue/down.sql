-- Rollback of 008_job_queue: indexes and the trigger only; no data is touched.
DROP TRIGGER IF EXISTS jobs_notify_pending ON jobs;
DROP FUNCTION IF EXISTS jobs_notify_pending();
DROP INDEX IF EXISTS jobs_schedule_slot_unique;
DROP INDEX IF EXISTS idx_jobs_claim;
