-- Usage counters per tenant, fed by the other services' events (idempotently) and read against the quotas.
-- window_start is the UTC day for per-day counters, and 1970-01-01 for running totals and gauges.
CREATE TABLE tenant_usage (
    tenant_id    uuid   NOT NULL,
    counter      text   NOT NULL,
    window_start date   NOT NULL,
    value        bigint NOT NULL,
    PRIMARY KEY (tenant_id, counter, window_start)
);
