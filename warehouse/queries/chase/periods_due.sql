-- The periods worth chasing on $as_of: those whose deadline passed within the last $window_days days
-- (older periods are not chased again every morning), with their dates.
select period_code, start_date, end_date, deadline_date
from periods
where deadline_date < $as_of::date
  and deadline_date >= $as_of::date - to_days(cast($window_days as integer))
  and period_code in (select distinct period from reporting_status)
order by period_code
