-- Executions and their steps (CONTRACT §4). A sync execution costs two commits when its nodes are pure: the insert
-- and the end, which writes every step at once; side-effecting nodes commit with their own step.
CREATE TABLE executions (
    id                  uuid        PRIMARY KEY,       -- UUIDv7
    tenant_id           uuid        NOT NULL,
    workflow            text        NOT NULL,
    workflow_version_id uuid        NOT NULL REFERENCES workflow_versions (id),
    version             int         NOT NULL,
    status              text        NOT NULL
        CHECK (status IN ('pending', 'running', 'waiting', 'completed', 'failed', 'cancelled')),
    mode                text        NOT NULL CHECK (mode IN ('sync', 'async')),
    channel             text        NOT NULL,
    session_id          text,
    inputs              jsonb       NOT NULL,
    outputs             jsonb,
    error               jsonb,                          -- {code, message, node?}
    deadline_at         timestamptz NOT NULL,
    -- The replica running the execution and until when; a pending execution without a live lease is up for grabs.
    lease_owner         text,
    lease_until         timestamptz,
    created_at          timestamptz NOT NULL,
    started_at          timestamptz,
    finished_at         timestamptz
);
-- The runbook's index: what is running or waiting to run, oldest first (also what the claim query scans).
CREATE INDEX idx_executions_status_created ON executions (status, created_at)
    WHERE status IN ('running', 'pending');
CREATE INDEX executions_tenant_list ON executions (tenant_id, id);
CREATE INDEX executions_tenant_workflow ON executions (tenant_id, workflow, id);

CREATE TABLE execution_steps (
    execution_id uuid        NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
    node         text        NOT NULL,
    position     int         NOT NULL,                 -- the node's index in the definition, for a stable order
    status       text        NOT NULL
        CHECK (status IN ('pending', 'running', 'waiting', 'completed', 'failed', 'skipped', 'cancelled')),
    attempts     int         NOT NULL DEFAULT 0,
    started_at   timestamptz,
    finished_at  timestamptz,
    output       jsonb,
    error        jsonb,
    PRIMARY KEY (execution_id, node)
);
