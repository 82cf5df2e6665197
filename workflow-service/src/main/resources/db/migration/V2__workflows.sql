-- Workflow definitions (CONTRACT §4, §5). A workflow is a tenant's name; each registration or PUT adds an immutable
-- version. Deleting a workflow only marks it: executions keep running on the versions they pinned, and the name becomes
-- free for a new workflow (whose versions start again at 1).
CREATE TABLE workflows (
    id             uuid        PRIMARY KEY,            -- UUIDv7
    tenant_id      uuid        NOT NULL,
    name           text        NOT NULL,
    status         text        NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'deleted')),
    description    text,
    latest_version int         NOT NULL,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    deleted_at     timestamptz
);
-- Names are unique among a tenant's live workflows only; another tenant's name never conflicts.
CREATE UNIQUE INDEX workflows_live_name ON workflows (tenant_id, name) WHERE status = 'active';
CREATE INDEX workflows_tenant_list ON workflows (tenant_id, id) WHERE status = 'active';

CREATE TABLE workflow_versions (
    id          uuid        PRIMARY KEY,               -- what an execution pins
    workflow_id uuid        NOT NULL REFERENCES workflows (id),
    tenant_id   uuid        NOT NULL,
    version     int         NOT NULL,
    definition  jsonb       NOT NULL,                  -- the validated definition, as registered
    created_at  timestamptz NOT NULL,
    UNIQUE (workflow_id, version)
);
