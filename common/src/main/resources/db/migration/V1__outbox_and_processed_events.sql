-- Eventing tables of every service that owns a database, shipped by the common module with the code that uses them
-- (the outbox and idempotent consumers). Shared migrations are versioned 1.x (V1, V1_1, ...); each service numbers its
-- own from V2, and out-of-order is on so that a later shared 1.x still applies to databases already past V2.

-- Transactional outbox (CONTRACT §6): a state change and the event that describes it commit in one transaction.
-- The active relay publishes unsent rows in position order and marks them sent only after Kafka acknowledges.
CREATE TABLE outbox_event (
    position     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id     uuid        NOT NULL UNIQUE,  -- CloudEvents id, Kafka header ce_id
    event_type   text        NOT NULL,         -- CloudEvents type, Kafka header ce_type
    topic        text        NOT NULL,
    aggregate_id text        NOT NULL,         -- Kafka key, so that one aggregate's events stay in order
    tenant_id    text,
    payload      text        NOT NULL,         -- the structured-mode CloudEvent exactly as it is published
    created_at   timestamptz NOT NULL DEFAULT now(),
    sent_at      timestamptz
);
CREATE INDEX outbox_event_unsent ON outbox_event (position) WHERE sent_at IS NULL;
CREATE INDEX outbox_event_sent_at ON outbox_event (sent_at) WHERE sent_at IS NOT NULL;

-- Wakes the active relay when events commit: PostgreSQL delivers a notification only if its transaction commits,
-- so a rolled-back change never nudges anything. Polling remains the fallback.
CREATE FUNCTION outbox_event_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('nexus_outbox', '');
    RETURN NULL;
END;
$$;
CREATE TRIGGER outbox_event_inserted AFTER INSERT ON outbox_event
    FOR EACH STATEMENT EXECUTE FUNCTION outbox_event_notify();

-- Idempotent consumers: the id of a consumed event is recorded in the same transaction as its effect.
CREATE TABLE processed_event (
    consumer     text        NOT NULL,
    event_id     text        NOT NULL,
    processed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);
CREATE INDEX processed_event_processed_at ON processed_event (processed_at);
