-- Its decisions, oldest first ($submission_id).
select decision, reason, decided_by, decided_at
from review_decisions
where submission_id = $submission_id
order by decided_at, decision_id
