-- Every current submission's period is in the calendar (periods): a file accepted for a period the
-- calendar does not hold would count nowhere, silently (the 2036S1 loss of issue 7).
select s.submission_id, s.sender_code, s.period
from submissions as s
anti join periods as p on p.period_code = s.period
where s.is_current
