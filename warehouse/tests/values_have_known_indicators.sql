-- Every counted figure belongs to an indicator of the catalogue.
select v.submission_id, v.row_number, v.unit_code, v.indicator_code
from intermediate.int_unit_report_values_current as v
anti join indicators as i using (indicator_code)
