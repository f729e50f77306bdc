-- The problems of submissions on pipeline.duckdb (? = their ids), for the senders' feedback.
select submission_id, row_number, column_name, unit_code, issue_code, severity, value, message_vi, message_en
from raw.submission_issues
where submission_id in (select unnest(?::varchar[]))
