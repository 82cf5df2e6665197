-- The relay polls the outbox instead of being woken by NOTIFY. PostgreSQL serialises the commits of every transaction
-- that notifies, cluster-wide (it holds one lock from before the commit record until after its flush, so that
-- notifications are queued in commit order): with a trigger on every outbox insert, every state change of every
-- service waited for the previous one's fsync, and group commit never happened. A 100 ms poll of the partial index on
-- unsent rows costs next to nothing and batches events under load.
DROP TRIGGER outbox_event_inserted ON outbox_event;
DROP FUNCTION outbox_event_notify();
