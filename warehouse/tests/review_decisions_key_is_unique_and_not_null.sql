-- review_decisions: one row per decision_id, never NULL; every decision names its submission.
select decision_id, count(*) as n
from review_decisions
group by decision_id
having count(*) > 1 or decision_id is null or bool_or(submission_id is null)
