-- The figures of the non-duplicate incoming submissions (? = the values.parquet files).
-- By name: a value's category columns (one per category of the catalogue) and its breakdown key.
insert into raw.unit_report_values by name
select *
from read_parquet(?, union_by_name = true)
where submission_id in (select submission_id from incoming_final where duplicate_of_id is null)
