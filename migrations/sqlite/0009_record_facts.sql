-- What records state for reports to count in the database (domain `Fact`):
-- "case X was opened on D in category C" is the row (X, 'opened.category', D,
-- C). A report of a period counts a fact's values over its days, reading only
-- the rows of those days; no record's state is parsed. A record's rows are
-- replaced whenever its row in `records` is written.
CREATE TABLE record_facts
(
    group_id    text NOT NULL,
    record_type text NOT NULL,
    record_id   text NOT NULL,
    fact        text NOT NULL,
    day         text,
    value       text NOT NULL,
    since       text
);

CREATE INDEX record_facts_by_day ON record_facts (group_id, record_type, fact, day, value, since);
CREATE INDEX record_facts_by_record ON record_facts (record_type, record_id);
