-- Installs (docs/api.md §4.6): a tenant's request to install a version of an item as one of its workflows. The
-- workflow is created by workflow-service from nexus.marketplace.installed; its answer on nexus.workflows settles the
-- status.

CREATE TABLE installs (
    id                  uuid PRIMARY KEY,                -- the install id (UUIDv7)
    item_id             uuid NOT NULL,
    version             text NOT NULL,                   -- the item's semver version installed
    tenant_id           uuid NOT NULL,                   -- the installer
    workflow            text NOT NULL,                   -- the name it is installed as
    status              text NOT NULL CHECK (status IN ('pending', 'completed', 'failed')),
    reason              text,                            -- why it failed (workflow-service's words)
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL,
    FOREIGN KEY (item_id, version) REFERENCES item_versions (item_id, version)
);

-- Idempotent installs: one pending or completed install per tenant, item version and name; asking again answers it.
-- A failed install does not count, so that the installer may try again (e.g. after freeing the name).
CREATE UNIQUE INDEX installs_one_live ON installs (tenant_id, item_id, version, workflow) WHERE status <> 'failed';
-- Whether a tenant has a completed install of an item (verified reviews).
CREATE INDEX installs_completed ON installs (item_id, tenant_id) WHERE status = 'completed';
