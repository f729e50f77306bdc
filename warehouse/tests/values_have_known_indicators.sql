-- Every counted figure belongs to an indicator of the catalogue.
select v.period_code, v.unit_code, v.indicator_code
from intermediate.int_unit_report_values_located as v
anti join indicators as i using (indicator_code)
