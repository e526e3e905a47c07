-- Verifications of a group's hash chain that run in the background: reading
-- every event of a large log takes longer than a request should, so a
-- request starts one and the office reads how far it has got. Checked events
-- are counted as it goes; `report` holds what it found once it finishes.
CREATE TABLE chain_verifications
(
    verification_id text   PRIMARY KEY,
    group_id        text   NOT NULL,
    started_by      text   NOT NULL,
    started_at      text   NOT NULL,
    updated_at      text   NOT NULL,
    checked         bigint NOT NULL,
    events          bigint NOT NULL,
    finished_at     text,
    report          text
);
CREATE INDEX chain_verifications_by_group ON chain_verifications (group_id, started_at);
