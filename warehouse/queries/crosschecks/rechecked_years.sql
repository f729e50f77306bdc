-- The years among $years that a rechecked current submission reports (crosschecks/recheck, values):
-- the year-vs-halves check on today's map runs only for them.
select distinct period
from cc_values
where submission_id in (select submission_id from cc_recheck)
  and list_contains($years::varchar[], period)
order by period
