-- The record a record is about (a motion's council meeting, a briefing's
-- motion or forward plan item), so "everything about X" is one indexed read.
ALTER TABLE records ADD COLUMN subject_id text;

CREATE INDEX records_by_subject ON records (group_id, record_type, subject_id);
