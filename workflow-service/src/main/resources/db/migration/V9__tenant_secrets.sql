-- Tenant secrets (docs/api.md §4.7): write-only values that http nodes read as secrets.NAME. Only the AES-GCM
-- ciphertext is stored, sealed with the key key_id of nexus.workflow.secrets.keys under a random 96-bit nonce and
-- with (tenant_id, name) as associated data, so a ciphertext copied to another row does not decrypt.
CREATE TABLE tenant_secrets (
    tenant_id  uuid        NOT NULL,
    name       text        NOT NULL,
    key_id     text        NOT NULL,
    nonce      bytea       NOT NULL,
    ciphertext bytea       NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, name)
);

-- Re-encryption after a key rotation looks for rows sealed with another key than the active one.
CREATE INDEX tenant_secrets_key_id ON tenant_secrets (key_id);
