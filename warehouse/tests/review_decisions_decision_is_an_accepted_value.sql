-- review_decisions: decision is accept, reject or reopen.
select decision_id, decision
from review_decisions
where decision is null or decision not in ('accept', 'reject', 'reopen')
