-- Recount the warnings of every rechecked or arrived submission and move its verdict between
-- accepted and accepted_with_warnings; nothing here rejects a file.
update raw.submissions as s
set warning_count = w.warnings,
    verdict = case when w.warnings > 0 then 'accepted_with_warnings' else 'accepted' end
from (
    select c.submission_id, count(i.issue_code) filter (where i.severity = 'warning') as warnings
    from (select submission_id from cc_recheck union select submission_id from cc_arrived) as c
    left join raw.submission_issues as i using (submission_id)
    group by c.submission_id
) as w
where s.submission_id = w.submission_id
  and s.verdict in ('accepted', 'accepted_with_warnings')
