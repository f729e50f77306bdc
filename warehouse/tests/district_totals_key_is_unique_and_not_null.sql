-- district_totals: one row per district x period x indicator x breakdown, none of them NULL.
select period, district_code, indicator_code, breakdown, count(*) as n
from district_totals
group by period, district_code, indicator_code, breakdown
having count(*) > 1 or period is null or district_code is null or indicator_code is null or breakdown is null
