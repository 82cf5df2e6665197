-- Admission without a counter that every end updates. The "active" counter made the tenant's admission row the one row
-- that every start AND every end of the tenant locked until its commit, so a tenant's executions queued behind each
-- other's fsyncs. Now ends touch nothing shared: what is in progress is counted from the executions themselves, by a
-- start that holds the tenant's admission row (the lock serialises starts only, so two starts never both see room).

-- Live executions per tenant: the count stays small (at most the concurrentExecutions quota plus waiting ones).
CREATE INDEX executions_tenant_live ON executions (tenant_id)
    WHERE status IN ('pending', 'running', 'waiting');

ALTER TABLE tenant_admission DROP COLUMN active;

-- Takes an admission slot for one new execution of p_tenant, or returns false when a quota is exhausted. Called by the
-- start statement before it inserts the execution, so the insert commits together with the day counter. VOLATILE:
-- each statement below takes a fresh snapshot, so the count runs after the lock is held and sees every start that
-- committed before this one got it (an end committing meanwhile may still be counted: that errs on the safe side).
CREATE FUNCTION admit_execution(p_tenant uuid, p_today date, p_default_concurrent bigint, p_default_daily bigint)
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
    WHERE tenant_id = p_tenant AND status IN ('pending', 'running', 'waiting');
    IF v_live >= v_concurrent THEN
        RETURN false;
    END IF;

    UPDATE tenant_admission
    SET day = p_today, day_count = CASE WHEN day = p_today THEN day_count + 1 ELSE 1 END
    WHERE tenant_id = p_tenant;
    RETURN true;
END;
$$;
