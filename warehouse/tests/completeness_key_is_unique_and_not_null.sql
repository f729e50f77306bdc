-- completeness: one row per province x period, neither NULL.
select period, province_code, count(*) as n
from completeness
group by period, province_code
having count(*) > 1 or period is null or province_code is null
