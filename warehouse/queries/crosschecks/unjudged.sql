-- history_too_short: per submission, how many of its non-zero figures nothing could judge.
select submission_id, count(*) filter (where not judged) as unjudged, count(*) as total
from cc_bands
group by submission_id
having count(*) filter (where not judged) > 0
order by submission_id
