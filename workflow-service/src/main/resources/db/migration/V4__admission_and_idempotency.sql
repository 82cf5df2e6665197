-- The tenants' quotas as the nexus.tenants events announce them (tenant-service owns them; this is a projection).
CREATE TABLE tenant_quotas (
    tenant_id             uuid        PRIMARY KEY,
    status                text        NOT NULL,        -- active | suspended | deleted
    workflows             bigint      NOT NULL,
    executions_per_day    bigint      NOT NULL,
    concurrent_executions bigint      NOT NULL,
    updated_at            timestamptz NOT NULL
);

-- Admission counters, changed in the transactions that start and end executions, so they never drift from the
-- executions table: non-terminal executions now, and executions started on the current UTC day.
CREATE TABLE tenant_admission (
    tenant_id uuid   PRIMARY KEY,
    active    bigint NOT NULL DEFAULT 0 CHECK (active >= 0),
    day       date   NOT NULL,
    day_count bigint NOT NULL DEFAULT 0
);

-- Idempotency-Key on starts (CONTRACT §2): scoped to (tenant, method, route), kept 24 h.
CREATE TABLE idempotency_keys (
    tenant_id       uuid        NOT NULL,
    method          text        NOT NULL,
    route           text        NOT NULL,
    key             text        NOT NULL,
    request_hash    text        NOT NULL,               -- SHA-256 of the canonical request
    execution_id    uuid,
    response_status int,                                -- null while the first request is in flight
    response_body   jsonb,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, method, route, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
