-- API keys of the gateway's callers (dashboards, partner tools, scripts, admins). Only the SHA-256
-- of a secret is stored, never the secret; `prefix` is its first characters, shown in listings so
-- a person can tell keys apart. Re-runnable: the table is created only when missing, and recorded
-- in the bookkeeping only when this migration created it, so a rollback never drops a table that
-- predates it. An empty marketplace_ids means the key is not limited to marketplaces.
DO $$
BEGIN
    IF to_regclass('public.api_keys') IS NULL THEN
        CREATE TABLE api_keys (
            id              SERIAL PRIMARY KEY,
            name            VARCHAR(100) NOT NULL,
            prefix          VARCHAR(16)  NOT NULL,
            secret_sha256   VARCHAR(64)  NOT NULL,
            role            VARCHAR(20)  NOT NULL,
            scopes          TEXT[]       NOT NULL DEFAULT '{}',
            marketplace_ids INTEGER[]    NOT NULL DEFAULT '{}',
            created_at      TIMESTAMP(6) NOT NULL DEFAULT now(),
            expires_at      TIMESTAMP(6),
            revoked_at      TIMESTAMP(6),
            last_used_at    TIMESTAMP(6),
            CONSTRAINT api_keys_name_unique UNIQUE (name),
            CONSTRAINT api_keys_secret_sha256_unique UNIQUE (secret_sha256),
            CONSTRAINT api_keys_role_check CHECK (role IN ('dashboard', 'partner', 'script', 'admin')),
            CONSTRAINT api_keys_name_check CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9._:-]*$')
        );
        PERFORM migration_bookkeeping.mark('007_api_keys', 'table', 'api_keys');
    END IF;
END
$$;
