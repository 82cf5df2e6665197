-- Only in the common module's own test database: the state the eventing tests change and what their consumer applies.
CREATE TABLE ledger_entry (
    id      text PRIMARY KEY,
    balance integer NOT NULL
);

CREATE TABLE applied_event (
    applied_order bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    consumer      text    NOT NULL,
    event_id      text    NOT NULL,
    aggregate_id  text    NOT NULL,
    version       integer NOT NULL
);
