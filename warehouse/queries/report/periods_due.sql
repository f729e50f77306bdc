-- The six-month and annual periods whose provinces' reports are due to be drafted on $as_of: the
-- deadline has passed (it is before $as_of), less than $window_days days ago, and someone reported.
select period_code
from periods
where period_type in ('half_year', 'year')
  and deadline_date < $as_of::date
  and deadline_date >= $as_of::date - to_days(cast($window_days as integer))
  and period_code in (select distinct period from province_totals)
order by period_code
