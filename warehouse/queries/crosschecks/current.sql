-- The current accepted submission of each sender and period, as the lifecycle model says
-- (a validator's standing decision overrides the verdict; the latest accepted file is current).
create or replace temp table cc_current as
select submission_id, sender_code, period_code as period
from intermediate.int_submissions_versioned
where is_current and period_code is not null
