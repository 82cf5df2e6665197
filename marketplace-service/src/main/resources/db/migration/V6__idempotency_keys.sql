-- Idempotency-Key on creating POSTs (docs/api.md §2.7): scoped to (tenant, method, route), kept 24 h
-- (nexus.idempotency.retention). The platform admin's routes have no tenant: they use the nil UUID.
CREATE TABLE idempotency_keys (
    tenant_id        uuid        NOT NULL,
    method           text        NOT NULL,
    route            text        NOT NULL,
    key              text        NOT NULL,
    request_hash     text        NOT NULL,               -- SHA-256 of the route and the request body
    response_status  int,                                -- null while the first request is in flight
    response_body    text,                               -- the first answer's body, byte for byte
    response_headers jsonb,                              -- its Location, ETag, Content-Type
    created_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, method, route, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
