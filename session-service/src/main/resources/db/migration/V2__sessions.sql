-- The durable record of every session (docs/api.md §4.5). Redis holds the live state; this table is written when a
-- session is created or ends, and behind its uses (at most one flush interval later), so that a session survives a
-- Redis flush or restart, expiry is detected when nobody touches it again, and lists do not scan Redis.
CREATE TABLE sessions (
    id            text        PRIMARY KEY,  -- 128 random bits, base64url (22 characters)
    tenant_id     uuid        NOT NULL,
    user_id       text,
    channels      text[]      NOT NULL,     -- every channel that used it, in first-use order
    data          json        NOT NULL,     -- json, not jsonb: kept exactly as clients wrote it (number digits, \u0000)
    data_version  bigint      NOT NULL,     -- the ETag; grows with every change of data
    ttl_seconds   integer     NOT NULL CHECK (ttl_seconds > 0),
    created_at    timestamptz NOT NULL,
    last_activity timestamptz NOT NULL,
    expires_at    timestamptz NOT NULL,
    is_active     boolean     NOT NULL DEFAULT true,
    ended_at      timestamptz,
    end_reason    text        CHECK (end_reason IN ('closed', 'expired')),
    CHECK (is_active = (end_reason IS NULL))
);

-- The runbook's index: a tenant's active sessions, most recently used first (lists, the concurrentSessions quota).
CREATE INDEX idx_sessions_tenant_active ON sessions (tenant_id, is_active, last_activity) WHERE is_active = true;
-- The expiry sweep reads active sessions by expiry.
CREATE INDEX sessions_active_by_expiry ON sessions (expires_at) WHERE is_active = true;
-- Ended sessions are listed with active=false and purged after their retention.
CREATE INDEX sessions_ended ON sessions (tenant_id, ended_at) WHERE is_active = false;

-- The executions started in a session (docs/api.md §4.5), projected from nexus.executions.
CREATE TABLE session_executions (
    execution_id        uuid        PRIMARY KEY,
    session_id          text        NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    tenant_id           uuid        NOT NULL,
    workflow            text        NOT NULL,
    version             integer     NOT NULL,
    channel             text        NOT NULL,
    parent_execution_id uuid,
    status              text        NOT NULL,
    started_at          timestamptz NOT NULL,
    finished_at         timestamptz
);
CREATE INDEX session_executions_by_session ON session_executions (session_id, started_at DESC, execution_id DESC);

-- This service's copy of every tenant's status and concurrentSessions quota, from nexus.tenants.
CREATE TABLE tenant_quotas (
    tenant_id           uuid        PRIMARY KEY,
    status              text        NOT NULL,
    concurrent_sessions bigint      NOT NULL,
    updated_at          timestamptz NOT NULL
);
