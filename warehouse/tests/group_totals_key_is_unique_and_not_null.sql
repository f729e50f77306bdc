-- group_totals: one row per group x period x indicator x breakdown, none of them NULL.
select period, group_code, indicator_code, breakdown, count(*) as n
from group_totals
group by period, group_code, indicator_code, breakdown
having count(*) > 1 or period is null or group_code is null or indicator_code is null or breakdown is null
