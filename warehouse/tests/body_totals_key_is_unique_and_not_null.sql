-- body_totals: one row per body x period x indicator x breakdown, none NULL.
select period, body_code, indicator_code, breakdown, count(*) as n
from body_totals
group by period, body_code, indicator_code, breakdown
having count(*) > 1 or period is null or body_code is null or indicator_code is null or breakdown is null
