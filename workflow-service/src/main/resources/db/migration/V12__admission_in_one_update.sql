-- Admission counts the day's start and takes the tenant's row lock in one UPDATE, instead of an INSERT ... ON CONFLICT
-- DO NOTHING, a SELECT ... FOR UPDATE and the UPDATE: one statement and one WAL record less on every start (the row
-- lock of SELECT ... FOR UPDATE is itself written to the WAL). Same rules as V7's: a tenant's admissions are ordered by
-- the lock on its tenant_admission row, so the count of live executions sees every start admitted before; a start
-- refused for the concurrent quota does not count against the day's.
CREATE OR REPLACE FUNCTION admit_execution(p_tenant uuid, p_today date, p_default_concurrent bigint, p_default_daily bigint)
    RETURNS boolean LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    v_concurrent bigint;
    v_daily      bigint;
    v_live       bigint;
BEGIN
    SELECT concurrent_executions, executions_per_day INTO v_concurrent, v_daily
    FROM tenant_quotas WHERE tenant_id = p_tenant;
    v_concurrent := coalesce(v_concurrent, p_default_concurrent);
    v_daily := coalesce(v_daily, p_default_daily);
    IF v_concurrent < 1 OR v_daily < 1 THEN
        RETURN false;
    END IF;

    -- Count the admission and lock the tenant's row in one step. The lock orders concurrent admissions of a tenant,
    -- so the count of live executions below sees every execution admitted before this one.
    UPDATE tenant_admission
    SET day = p_today, day_count = CASE WHEN day = p_today THEN day_count + 1 ELSE 1 END
    WHERE tenant_id = p_tenant AND (day <> p_today OR day_count < v_daily);
    IF NOT FOUND THEN
        -- No row yet (the tenant's first execution), or today's quota is used up.
        INSERT INTO tenant_admission (tenant_id, day, day_count) VALUES (p_tenant, p_today, 1)
        ON CONFLICT (tenant_id) DO NOTHING;
        IF NOT FOUND THEN
            -- The row exists: another admission inserted it meanwhile, or the quota is used up. Ask it again.
            UPDATE tenant_admission
            SET day = p_today, day_count = CASE WHEN day = p_today THEN day_count + 1 ELSE 1 END
            WHERE tenant_id = p_tenant AND (day <> p_today OR day_count < v_daily);
            IF NOT FOUND THEN
                RETURN false;
            END IF;
        END IF;
    END IF;

    SELECT count(*) INTO v_live FROM executions
    WHERE tenant_id = p_tenant AND status IN ('pending', 'running', 'waiting') AND parent_id IS NULL;
    IF v_live >= v_concurrent THEN
        -- Refused after all: give today's count back (this transaction still holds the row).
        UPDATE tenant_admission SET day_count = day_count - 1 WHERE tenant_id = p_tenant;
        RETURN false;
    END IF;
    RETURN true;
END;
$$;
