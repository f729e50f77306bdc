-- Relationship: every review_decisions.submission_id is in submissions.
select d.decision_id, d.submission_id
from review_decisions as d
anti join submissions as s using (submission_id)
