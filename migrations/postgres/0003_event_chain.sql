-- The tamper-evident chain over each group's events (see ARCHITECTURE.md, "Audit").
-- A follower (store/chain.rs) numbers every event of a group in commit order
-- (`log_position`, dense from 1) and stores the SHA-256 of it chained to the one
-- before; the events themselves are never touched, so appends stay concurrent.
CREATE TABLE event_chain
(
    group_id       text   NOT NULL,
    log_position   bigint NOT NULL CHECK (log_position > 0),
    aggregate_type text   NOT NULL,
    aggregate_id   text   NOT NULL,
    sequence       bigint NOT NULL,
    recorded_at    text   NOT NULL,
    actor          text   NOT NULL,
    hash           text   NOT NULL,
    PRIMARY KEY (group_id, log_position),
    UNIQUE (aggregate_type, aggregate_id, sequence)
);

CREATE INDEX event_chain_by_record ON event_chain (group_id, aggregate_type, aggregate_id, log_position);

-- Signed checkpoints (C2SP tlog-checkpoint notes) of each group's chain.
CREATE TABLE chain_checkpoints
(
    group_id  text   NOT NULL,
    size      bigint NOT NULL CHECK (size > 0),
    hash      text   NOT NULL,
    note      text   NOT NULL,
    signed_at text   NOT NULL,
    PRIMARY KEY (group_id, size)
);
