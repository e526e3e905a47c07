-- The event log: the only source of truth. Columns up to `metadata` are the ones
-- postgres-es writes; `position` and `transaction_id` give the log a global order
-- that projectors can follow without ever skipping an event (see ARCHITECTURE.md).
CREATE TABLE events
(
    aggregate_type text                         NOT NULL,
    aggregate_id   text                         NOT NULL,
    sequence       bigint CHECK (sequence >= 0) NOT NULL,
    event_type     text                         NOT NULL,
    event_version  text                         NOT NULL,
    payload        json                         NOT NULL,
    metadata       json                         NOT NULL,
    position       bigint GENERATED ALWAYS AS IDENTITY,
    -- A bigserial is assigned at insert, not at commit, so position alone can be seen
    -- out of order. The writing transaction's id lets a reader wait until every
    -- transaction below the snapshot's xmin has finished.
    transaction_id xid8                         NOT NULL DEFAULT pg_current_xact_id(),
    PRIMARY KEY (aggregate_type, aggregate_id, sequence)
);

CREATE UNIQUE INDEX events_global_order ON events (transaction_id, position);

-- postgres-es reads and writes this table only for snapshot stores; Caucus uses the
-- plain event store, but the table keeps the schema complete for the crate.
CREATE TABLE snapshots
(
    aggregate_type   text                                 NOT NULL,
    aggregate_id     text                                 NOT NULL,
    last_sequence    bigint CHECK (last_sequence >= 0)    NOT NULL,
    current_snapshot bigint CHECK (current_snapshot >= 0) NOT NULL,
    payload          json                                 NOT NULL,
    PRIMARY KEY (aggregate_type, aggregate_id, last_sequence)
);
