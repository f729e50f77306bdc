-- The figures of the non-duplicate incoming submissions (? = the values.parquet files).
insert into raw.unit_report_values
select submission_id, row_number, unit_code, is_declared_total, indicator_code, value
from read_parquet(?, union_by_name = true)
where submission_id in (select submission_id from incoming_final where duplicate_of_id is null)
