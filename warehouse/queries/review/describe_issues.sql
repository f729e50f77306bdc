-- Its problems, errors first, then warnings, whole-file problems first ($submission_id).
select row_number, column_name, unit_code, issue_code, severity, value, message_vi, message_en
from submission_issues
where submission_id = $submission_id
order by severity = 'error' desc, severity = 'warning' desc, row_number nulls first, column_name
