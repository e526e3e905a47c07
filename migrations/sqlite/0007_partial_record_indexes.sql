-- "Everything about member X / body Y / record Z" always asks for one value, and
-- most records name no member, body or subject: their rows need no entry in these
-- indexes. Partial indexes keep only the rows that name one, so they are smaller,
-- a write of a row that names none updates none of them, and a replay builds them
-- from a fraction of the rows. A query's `member_id = $n` implies the predicate,
-- so both stores still use them.
DROP INDEX records_by_member;
DROP INDEX records_by_body;
DROP INDEX records_by_subject;

CREATE INDEX records_by_member ON records (group_id, record_type, member_id) WHERE member_id IS NOT NULL;
CREATE INDEX records_by_body ON records (group_id, record_type, body_id) WHERE body_id IS NOT NULL;
CREATE INDEX records_by_subject ON records (group_id, record_type, subject_id) WHERE subject_id IS NOT NULL;
