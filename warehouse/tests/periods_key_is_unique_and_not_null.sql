-- periods: one row per period_code, never NULL, with its dates.
select period_code, count(*) as n
from periods
group by period_code
having count(*) > 1 or period_code is null or bool_or(start_date is null or end_date is null)
