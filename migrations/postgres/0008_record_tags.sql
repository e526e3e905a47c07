-- Labels a register filters on beyond the index columns, space-separated with
-- a space either side (` reader:<member id> ward:canning-town-north `), so one
-- label is matched by `LIKE '% label %'`: who may read a case, its ward and
-- category. NULL for records without labels.
ALTER TABLE records ADD COLUMN tags text;
