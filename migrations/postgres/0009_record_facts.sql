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

-- Counting a fact over a period, or reading its values, reads the index alone.
CREATE INDEX record_facts_by_day ON record_facts (group_id, record_type, fact, day) INCLUDE (value, since);
CREATE INDEX record_facts_by_record ON record_facts (record_type, record_id);

-- "The cases X may read" is one label among a record's labels: an inverted
-- index over them finds a councillor's cases among a hundred thousand without
-- reading the others (a `LIKE` over `tags` reads every row of the register).
CREATE INDEX records_by_tag ON records USING gin (string_to_array(btrim(tags), ' '));
