-- Tenants and their API keys (CONTRACT §2, §4).
CREATE TABLE tenant (
    id                          uuid PRIMARY KEY,
    name                        varchar(100) NOT NULL,
    status                      text         NOT NULL CHECK (status IN ('active', 'suspended')),
    plan                        text         NOT NULL,
    -- Per-tenant overrides of the plan's quotas; null means the plan's default.
    quota_workflows             bigint CHECK (quota_workflows >= 0),
    quota_executions_per_day    bigint CHECK (quota_executions_per_day >= 0),
    quota_api_calls_per_minute  bigint CHECK (quota_api_calls_per_minute >= 0),
    quota_concurrent_sessions   bigint CHECK (quota_concurrent_sessions >= 0),
    quota_concurrent_executions bigint CHECK (quota_concurrent_executions >= 0),
    created_at                  timestamptz  NOT NULL,
    updated_at                  timestamptz  NOT NULL,
    -- Deleted tenants are kept (their ids are never reused, their keys stay refused) but are invisible to the API.
    deleted_at                  timestamptz,
    version                     bigint       NOT NULL DEFAULT 0
);
-- Names are unique among live tenants, ignoring case ("Acme" and "acme" would only confuse operators).
CREATE UNIQUE INDEX tenant_name_unique ON tenant (lower(name)) WHERE deleted_at IS NULL;

CREATE TABLE api_key (
    id         uuid PRIMARY KEY,
    tenant_id  uuid         NOT NULL REFERENCES tenant (id),
    name       varchar(100) NOT NULL,
    role       text         NOT NULL CHECK (role IN ('admin', 'developer', 'viewer')),
    prefix     text         NOT NULL,
    -- SHA-256 of the whole key: high-entropy keys need no slow hash, and the key itself is never stored.
    key_hash   bytea        NOT NULL UNIQUE,
    created_at timestamptz  NOT NULL,
    expires_at timestamptz,
    revoked_at timestamptz
);
CREATE INDEX api_key_tenant ON api_key (tenant_id, id);
