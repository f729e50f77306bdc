-- The periods the loaded submissions declare.
select distinct period
from raw.submissions
where submission_id in (select submission_id from cc_loaded) and period is not null
order by period
