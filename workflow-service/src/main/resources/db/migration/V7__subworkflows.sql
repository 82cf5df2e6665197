-- Sub-workflows (CONTRACT §5): a subworkflow node starts a child execution and waits for its end. Children run under
-- their root's concurrentExecutions slot (admission counts roots only and never admits a child), nest at most 5 deep,
-- may not start a workflow already in their chain (lineage), and are cancelled with their root.
ALTER TABLE executions
    ADD COLUMN parent_id   uuid REFERENCES executions (id),
    ADD COLUMN parent_node text,
    ADD COLUMN root_id     uuid,
    ADD COLUMN depth       int    NOT NULL DEFAULT 0,
    ADD COLUMN lineage     text[] NOT NULL DEFAULT '{}';  -- the workflows of the ancestors, root first

CREATE INDEX executions_children ON executions (parent_id) WHERE parent_id IS NOT NULL;

DROP INDEX executions_tenant_live;
CREATE INDEX executions_tenant_live ON executions (tenant_id)
    WHERE status IN ('pending', 'running', 'waiting') AND parent_id IS NULL;

-- As in V5, counting live roots only.
CREATE OR REPLACE FUNCTION admit_execution(p_tenant uuid, p_today date, p_default_concurrent bigint,
                                           p_default_daily bigint)
    RETURNS boolean LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    v_concurrent bigint;
    v_daily      bigint;
    v_day        date;
    v_day_count  bigint;
    v_live       bigint;
BEGIN
    SELECT concurrent_executions, executions_per_day INTO v_concurrent, v_daily
    FROM tenant_quotas WHERE tenant_id = p_tenant;
    v_concurrent := coalesce(v_concurrent, p_default_concurrent);
    v_daily := coalesce(v_daily, p_default_daily);
    IF v_concurrent < 1 OR v_daily < 1 THEN
        RETURN false;
    END IF;

    INSERT INTO tenant_admission (tenant_id, day, day_count) VALUES (p_tenant, p_today, 0)
    ON CONFLICT (tenant_id) DO NOTHING;
    SELECT day, day_count INTO v_day, v_day_count FROM tenant_admission WHERE tenant_id = p_tenant FOR UPDATE;
    IF v_day = p_today AND v_day_count >= v_daily THEN
        RETURN false;
    END IF;

    SELECT count(*) INTO v_live FROM executions
    WHERE tenant_id = p_tenant AND status IN ('pending', 'running', 'waiting') AND parent_id IS NULL;
    IF v_live >= v_concurrent THEN
        RETURN false;
    END IF;

    UPDATE tenant_admission
    SET day = p_today, day_count = CASE WHEN day = p_today THEN day_count + 1 ELSE 1 END
    WHERE tenant_id = p_tenant;
    RETURN true;
END;
$$;

-- Lease renewal finds a replica's live executions by owner (one statement per round, every few seconds).
CREATE INDEX executions_lease_owner ON executions (lease_owner) WHERE status IN ('pending', 'running');
