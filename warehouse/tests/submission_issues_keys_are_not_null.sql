-- submission_issues: every problem names its submission, its code and its severity.
select *
from submission_issues
where submission_id is null or issue_code is null or severity is null
