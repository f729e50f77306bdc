-- (submission_id, final verdict) of the incoming submissions, after the crosschecks.
select submission_id, verdict
from raw.submissions
where submission_id in (select submission_id from incoming)
