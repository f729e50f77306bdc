-- Submissions whose feedback is due and not yet written (a run killed or stopped between load's
-- commit and the end of notify): rejected or warned files, and files with a validator's decision.
select s.submission_id
from raw.submissions s
where (s.verdict in ('rejected', 'accepted_with_warnings')
       or s.submission_id in (select submission_id from raw.review_decisions))
  and s.submission_id not in (select submission_id from raw.feedback_sent)
order by s.received_at, s.submission_id
