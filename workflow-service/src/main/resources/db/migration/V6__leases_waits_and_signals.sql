-- Crash-proof executions (CONTRACT §4, §5): short renewed leases, durable waits, and signals.
--
-- Leases: a replica running an execution holds lease_owner/lease_until and renews it every few seconds; when a replica
-- dies its leases run out and any replica's claim re-drives the execution from its last committed step.
-- Waits: an execution whose remaining nodes are all delay/wait nodes parks (status waiting, no lease, no worker) with
-- wake_at set to its earliest timer; the claim picks it up again when wake_at has passed.
-- Signals: stored first, so a signal sent before its wait starts is not lost; signalled_at tells a parking run that a
-- signal arrived while it was running (an UPDATE re-reads the row it waited for, so that check cannot miss one).
ALTER TABLE executions
    ADD COLUMN wake_at      timestamptz,
    ADD COLUMN signalled_at timestamptz;

-- What the claim scans besides the runbook index: expired leases of running executions, and due waiting ones.
CREATE INDEX executions_running_leases ON executions (lease_until) WHERE status = 'running';
CREATE INDEX executions_due ON executions (wake_at) WHERE status = 'waiting';

CREATE TABLE execution_signals (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    execution_id uuid        NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
    name         text        NOT NULL,
    payload      jsonb,
    received_at  timestamptz NOT NULL DEFAULT now(),
    consumed_by  text                               -- the wait node that took it; null while unconsumed
);
CREATE INDEX execution_signals_unconsumed ON execution_signals (execution_id, name, id) WHERE consumed_by IS NULL;
