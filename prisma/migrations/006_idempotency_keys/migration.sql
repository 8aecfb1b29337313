-- Idempotency keys of mutations (retry safety): a key is written in the same transaction as the
-- change it guards, with a hash of the request and a reference to the first result, so a retried
-- call replays that result instead of applying twice. Idempotent: safe to run on a database that
-- already has the table.
CREATE TABLE IF NOT EXISTS idempotency_keys (
    key           VARCHAR(200) PRIMARY KEY,
    operation     VARCHAR(100) NOT NULL,
    request_hash  VARCHAR(64)  NOT NULL,
    response_json JSONB,
    created_at    TIMESTAMP(6) NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS idx_idempotency_keys_created ON idempotency_keys (created_at);
