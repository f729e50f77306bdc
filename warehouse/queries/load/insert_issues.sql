-- The problems of the non-duplicate incoming submissions (? = the issues.parquet files).
insert into raw.submission_issues
select submission_id, row_number, column_name, unit_code, issue_code, severity, value, message_vi, message_en
from read_parquet(?, union_by_name = true)
where submission_id in (select submission_id from incoming_final where duplicate_of_id is null)
