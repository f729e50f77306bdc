-- The issues found, from the frame crosschecks registers as cc_found.
insert into raw.submission_issues
select submission_id, row_number, column_name, unit_code, issue_code, severity, value, message_vi, message_en
from cc_found
