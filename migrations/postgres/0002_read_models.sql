-- One row per record: the record's current state as the projector last built it,
-- with the columns that lists filter and sort on pulled out beside it.
CREATE TABLE records
(
    record_type    text   NOT NULL,
    record_id      text   NOT NULL,
    group_id       text   NOT NULL,
    version        bigint NOT NULL,
    classification text   NOT NULL,
    status         text   NOT NULL,
    member_id      text,
    body_id        text,
    due_on         text,
    created_at     text   NOT NULL,
    updated_at     text   NOT NULL,
    state          text   NOT NULL,
    PRIMARY KEY (record_type, record_id)
);

CREATE INDEX records_by_group ON records (group_id, record_type, created_at, record_id);
CREATE INDEX records_by_member ON records (group_id, record_type, member_id);
CREATE INDEX records_by_body ON records (group_id, record_type, body_id);

-- How far each projector has read the event log, in the log's global order.
CREATE TABLE projector_checkpoints
(
    projector      text   NOT NULL PRIMARY KEY,
    schema_version bigint NOT NULL,
    transaction_id bigint NOT NULL,
    position       bigint NOT NULL,
    updated_at     text   NOT NULL
);

-- Idempotency-Key records are shared by every api process, so they live here.
CREATE TABLE idempotency_keys
(
    group_id      text   NOT NULL,
    actor         text   NOT NULL,
    key           text   NOT NULL,
    fingerprint   text   NOT NULL,
    status        bigint,
    response_body text,
    location      text,
    etag          text,
    created_at    text   NOT NULL,
    PRIMARY KEY (group_id, actor, key)
);
