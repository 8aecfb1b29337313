-- 004_slice_d_schema (SCHEMA.md §5): recommendations and their event log, with their enums.
-- entity_type reuses 003's feature_entity_type; entity_id is polymorphic (no FK).
-- Re-runnable: every statement is guarded.

SELECT migration_bookkeeping.ensure_enum('recommendation_type', ARRAY[
    'PRICE_DECREASE_REGAIN_BUYBOX', 'PRICE_INCREASE_MARGIN_OPPORTUNITY', 'STOCK_INCREASE_STOCKOUT_RISK',
    'STOCK_DECREASE_OVERSTOCK', 'MARGIN_AT_RISK_COMPONENT_COST', 'ANOMALY_SALES_DROP',
    'ANOMALY_CONVERSION_DROP', 'ANOMALY_BUY_BOX_LOSS', 'OPPORTUNITY_CREATE_LISTING']);
SELECT migration_bookkeeping.ensure_enum('recommendation_status', ARRAY[
    'PENDING', 'ACCEPTED', 'REJECTED', 'SNOOZED', 'EXPIRED', 'SUPERSEDED']);
SELECT migration_bookkeeping.ensure_enum('confidence_band', ARRAY['HIGH', 'MEDIUM', 'LOW']);
SELECT migration_bookkeeping.ensure_enum('recommendation_event_type', ARRAY[
    'GENERATED', 'VIEWED', 'ACCEPTED', 'REJECTED', 'SNOOZED', 'EXPIRED', 'SUPERSEDED',
    'ACTION_STARTED', 'ACTION_COMPLETED', 'ACTION_FAILED']);

CREATE TABLE IF NOT EXISTS recommendations (
    id                  serial NOT NULL,
    recommendation_type recommendation_type NOT NULL,
    entity_type         feature_entity_type NOT NULL,
    entity_id           integer NOT NULL,
    status              recommendation_status NOT NULL DEFAULT 'PENDING',
    action_payload_json jsonb NOT NULL,
    evidence_json       jsonb NOT NULL,
    guardrails_json     jsonb,
    impact_json         jsonb NOT NULL,
    confidence          confidence_band NOT NULL DEFAULT 'MEDIUM',
    confidence_score    numeric(5,4),
    generated_at        timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP,
    expires_at          timestamp,
    accepted_at         timestamp,
    rejected_at         timestamp,
    snoozed_until       timestamp,
    generation_job_id   integer,
    accepted_job_id     integer,
    notes               text,
    created_at          timestamp DEFAULT CURRENT_TIMESTAMP,
    updated_at          timestamp DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT recommendations_pkey PRIMARY KEY (id),
    CONSTRAINT recommendations_generation_job_id_fkey FOREIGN KEY (generation_job_id) REFERENCES jobs (id) ON DELETE SET NULL,
    CONSTRAINT recommendations_accepted_job_id_fkey FOREIGN KEY (accepted_job_id) REFERENCES jobs (id) ON DELETE SET NULL
);
CREATE INDEX IF NOT EXISTS idx_recommendations_entity ON recommendations (entity_type, entity_id);
CREATE INDEX IF NOT EXISTS idx_recommendations_type ON recommendations (recommendation_type);
CREATE INDEX IF NOT EXISTS idx_recommendations_status ON recommendations (status);
CREATE INDEX IF NOT EXISTS idx_recommendations_pending ON recommendations (entity_type, entity_id) WHERE status = 'PENDING';
CREATE INDEX IF NOT EXISTS idx_recommendations_generated ON recommendations (generated_at DESC);

CREATE TABLE IF NOT EXISTS recommendation_events (
    id                serial NOT NULL,
    recommendation_id integer NOT NULL,
    event_type        recommendation_event_type NOT NULL,
    job_id            integer,
    details_json      jsonb,
    reason            text,
    created_by        varchar(100) DEFAULT 'system',
    created_at        timestamp DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT recommendation_events_pkey PRIMARY KEY (id),
    CONSTRAINT recommendation_events_recommendation_id_fkey FOREIGN KEY (recommendation_id) REFERENCES recommendations (id) ON DELETE CASCADE,
    CONSTRAINT recommendation_events_job_id_fkey FOREIGN KEY (job_id) REFERENCES jobs (id) ON DELETE SET NULL
);
CREATE INDEX IF NOT EXISTS idx_rec_events_recommendation ON recommendation_events (recommendation_id);
CREATE INDEX IF NOT EXISTS idx_rec_events_type ON recommendation_events (event_type);
CREATE INDEX IF NOT EXISTS idx_rec_events_created ON recommendation_events (created_at);
