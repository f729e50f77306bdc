-- submissions: status, verdict and review_decision take only the documented values.
select submission_id, status, verdict, review_decision
from submissions
where status is null
   or status not in ('accepted', 'accepted_with_warnings', 'rejected', 'superseded', 'duplicate')
   or verdict is null
   or verdict not in ('accepted', 'accepted_with_warnings', 'rejected', 'duplicate')
   or review_decision not in ('accept', 'reject')
