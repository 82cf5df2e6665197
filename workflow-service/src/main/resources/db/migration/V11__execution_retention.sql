-- Execution history retention (docs/api.md §4.4): ended executions are deleted once they are older than their
-- tenant's plan keeps them (nexus.workflow.retention.days.<plan>), so that the executions tables stop growing.

-- The plan comes with every nexus.tenants created/updated event. NULL until this service has seen one since this
-- migration (rows projected before it): such tenants, like tenants without a row yet, get
-- nexus.workflow.retention.default-days, the longest by default, because a deletion cannot be taken back.
ALTER TABLE tenant_quotas ADD COLUMN plan text;

-- A plain CREATE INDEX blocks writes to its table while it builds. On a large database, build these three beforehand
-- with CREATE INDEX CONCURRENTLY and the same names and definitions (docs/runbook.md §6): IF NOT EXISTS then skips
-- them here. (Flyway cannot run CONCURRENTLY itself: its transactional advisory lock holds a snapshot that the build
-- would wait for forever.)

-- What the sweep looks for: a tenant's ended root executions, oldest first (finished_at, then id for a stable
-- cursor). Partial, so it holds only what retention may delete; an execution enters it when it ends.
CREATE INDEX IF NOT EXISTS executions_retention ON executions (tenant_id, finished_at, id)
    WHERE parent_id IS NULL AND status IN ('completed', 'failed', 'cancelled');

-- Deleting an execution cascades to its signals; without this index (V6 indexes unconsumed signals only) each
-- deleted execution would cost a scan of the whole signals table.
CREATE INDEX IF NOT EXISTS execution_signals_execution ON execution_signals (execution_id);

-- The Idempotency-Key rows of a deleted execution go with it (a replay then starts anew, as after the key expires).
CREATE INDEX IF NOT EXISTS idempotency_keys_execution ON idempotency_keys (execution_id)
    WHERE execution_id IS NOT NULL;
