-- The accepted figures of one period, unit by unit (current accepted submissions only): the
-- "Cùng kỳ năm trước" column of the criteria templates (transforms/templates.py).
select unit_code, indicator_code, breakdown, value
from intermediate.int_unit_report_values_located
where period_code = $period and value is not null
