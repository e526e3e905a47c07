-- The event log: the only source of truth. Columns up to `metadata` are the ones
-- sqlite-es writes; `position` is the global order, filled in by the trigger below.
-- SQLite has a single writer, so insertion order is commit order.
CREATE TABLE events
(
    aggregate_type text                          NOT NULL,
    aggregate_id   text                          NOT NULL,
    sequence       integer CHECK (sequence >= 0) NOT NULL,
    event_type     text                          NOT NULL,
    event_version  text                          NOT NULL,
    payload        text                          NOT NULL,
    metadata       text                          NOT NULL,
    position       integer,
    PRIMARY KEY (aggregate_type, aggregate_id, sequence)
) STRICT;

CREATE UNIQUE INDEX events_global_order ON events (position);

CREATE TRIGGER events_assign_position AFTER INSERT ON events
BEGIN
    UPDATE events
    SET position = (SELECT coalesce(max(position), 0) + 1 FROM events)
    WHERE rowid = NEW.rowid;
END;

-- sqlite-es reads and writes this table only for snapshot stores; Caucus uses the
-- plain event store, but the table keeps the schema complete for the crate.
CREATE TABLE snapshots
(
    aggregate_type   text                                  NOT NULL,
    aggregate_id     text                                  NOT NULL,
    last_sequence    integer CHECK (last_sequence >= 0)    NOT NULL,
    current_snapshot integer CHECK (current_snapshot >= 0) NOT NULL,
    payload          text                                  NOT NULL,
    PRIMARY KEY (aggregate_type, aggregate_id, last_sequence)
) STRICT;
