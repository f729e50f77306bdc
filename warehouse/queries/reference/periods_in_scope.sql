-- The periods a batch asks about (transforms/reference.py), as int_periods_in_scope is in the
-- warehouse: int_period_units then computes the hierarchy for these periods only.
create or replace table intermediate.int_periods_in_scope as
select period_code, period_type, start_date, end_date
from staging.stg_reference__periods
where period_code in (select unnest($period_codes));
