-- The as-of hierarchy of the periods in scope (transforms/reference.py: Reference.period_units).
select period_code, unit_code, unit_level, unit_name, district_code, province_code
from intermediate.int_period_units
order by period_code, unit_code;
