-- submissions: one row per submission_id, never NULL.
select submission_id, count(*) as n
from submissions
group by submission_id
having count(*) > 1 or submission_id is null
