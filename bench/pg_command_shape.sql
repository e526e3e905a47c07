-- pgbench script: the PostgreSQL work of one "record a decision" command in Caucus, on
-- Caucus's own schema (migrations/postgres). Load the stream and append its event in one
-- transaction (the command's commit), then in a second transaction what the projector does
-- for it: read the checkpoint, upsert the `records` row, move the checkpoint.
-- The database needs the checkpoint row: bench/run.sh inserts it after `caucus migrate`.
\set n random(1, 2000000000)
BEGIN;
SELECT aggregate_type, aggregate_id, sequence, event_type, event_version, payload, metadata FROM events WHERE aggregate_type = 'Decision' AND aggregate_id = 'bench-' || :client_id || '-' || :n ORDER BY sequence;
INSERT INTO events (aggregate_type, aggregate_id, sequence, event_type, event_version, payload, metadata) VALUES ('Decision', 'bench-' || :client_id || '-' || :n, 1, 'DecisionRecorded', '1.0', '{"DecisionRecorded":{"group_id":"newham-labour","title":"Bench decision","text":"The group will oppose the closure at Cabinet and Full Council.","decided_on":"2026-03-02","taken_by":{"kind":"group_meeting","meeting":"Group meeting 2 March 2026"},"votes":{"for":40,"against":3,"abstain":2},"classification":"group","review_on":"2026-06-01"}}', '{"actor":"bench","roles":["assistant"],"group_id":"newham-labour","recorded_at":"2026-03-02T10:00:00.000000Z","request_id":"0b6c4a7e-3f1d-4c55-9a2e-8f0d1c2b3a4e"}') ON CONFLICT DO NOTHING;
COMMIT;
BEGIN;
SELECT schema_version, transaction_id, position FROM projector_checkpoints WHERE projector = 'records';
INSERT INTO records (record_type, record_id, group_id, version, classification, status, member_id, body_id, due_on, created_at, updated_at, state) VALUES ('Decision', 'bench-' || :client_id || '-' || :n, 'newham-labour', 1, 'group', 'in_force', NULL, NULL, NULL, '2026-03-02T10:00:00.000000Z', '2026-03-02T10:00:00.000000Z', '{"group_id":"newham-labour","title":"Bench decision","text":"The group will oppose the closure at Cabinet and Full Council.","decided_on":"2026-03-02","taken_by":{"kind":"group_meeting","meeting":"Group meeting 2 March 2026"},"votes":{"for":40,"against":3,"abstain":2},"classification":"group","status":"in_force","review_on":"2026-06-01","amendments":[],"progress":[]}') ON CONFLICT (record_type, record_id) DO UPDATE SET version = excluded.version, status = excluded.status, updated_at = excluded.updated_at, state = excluded.state;
UPDATE projector_checkpoints SET transaction_id = transaction_id + 1, position = position + 1, updated_at = '2026-03-02T10:00:00.000000Z' WHERE projector = 'records';
COMMIT;
