-- Idempotency-Key on every creating POST (docs/api.md §2.7), with common's IdempotentCreation: the first answer's
-- body is kept byte for byte (text, not jsonb, which reorders keys) with its Location, ETag and Content-Type.
ALTER TABLE idempotency_keys ALTER COLUMN response_body TYPE text USING response_body::text;
ALTER TABLE idempotency_keys ADD COLUMN response_headers jsonb;
