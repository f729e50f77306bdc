-- indicators: one row per indicator_code, never NULL.
select indicator_code, count(*) as n
from indicators
group by indicator_code
having count(*) > 1 or indicator_code is null
