-- submission_issues: severity is error, warning or info.
select submission_id, issue_code, severity
from submission_issues
where severity not in ('error', 'warning', 'info')
