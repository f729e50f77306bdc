-- province_totals: one row per province x period x indicator x breakdown, none of them NULL.
select period, province_code, indicator_code, breakdown, count(*) as n
from province_totals
group by period, province_code, indicator_code, breakdown
having count(*) > 1 or period is null or province_code is null or indicator_code is null or breakdown is null
