-- 008_job_queue: what the job worker (DOMAIN §6) needs from the schema.
--  * idx_jobs_claim: the claim's order (priority DESC, scheduled_for) over PENDING rows only, so a
--    worker finds the next due job without sorting the whole queue.
--  * jobs_schedule_slot_unique: a scheduled job carries `input_json.schedule_slot` (e.g.
--    "SYNC_AMAZON_OFFER@2026-12-01T06:00Z"); many workers enqueueing the same slot insert it once.
--    An expression index, so prisma/schema.prisma cannot mirror it.
--  * jobs_notify_pending: NOTIFY job_queue whenever a job becomes PENDING (insert, retry, manual
--    retry), so idle workers wake at once instead of waiting for their next poll. NOTIFY payloads
--    are folded per transaction, so a bulk insert sends one notification.
-- Re-runnable: every statement is guarded.

CREATE INDEX IF NOT EXISTS idx_jobs_claim ON jobs (priority DESC, scheduled_for) WHERE status = 'PENDING';

CREATE UNIQUE INDEX IF NOT EXISTS jobs_schedule_slot_unique ON jobs ((input_json ->> 'schedule_slot'))
    WHERE input_json ? 'schedule_slot';

CREATE OR REPLACE FUNCTION jobs_notify_pending() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('job_queue', '');
    RETURN NULL;
END
$$;

DROP TRIGGER IF EXISTS jobs_notify_pending ON jobs;
CREATE TRIGGER jobs_notify_pending
    AFTER INSERT OR UPDATE OF status ON jobs
    FOR EACH ROW WHEN (NEW.status = 'PENDING')
    EXECUTE FUNCTION jobs_notify_pending();
