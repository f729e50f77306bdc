-- admin_units: one row per unit version (unit_code x valid_from), neither NULL.
select unit_code, valid_from, count(*) as n
from admin_units
group by unit_code, valid_from
having count(*) > 1 or unit_code is null or valid_from is null
