-- Relationship: every submission_issues.submission_id is in submissions.
select i.submission_id, i.issue_code
from submission_issues as i
anti join submissions as s using (submission_id)
