-- materialized: view
-- Grain: one row per period code of the calendar: the years transforms/periods.py holds
-- (FIRST_YEAR..LAST_YEAR; year, half_year, quarter, month and the nine_months window) and the
-- phases of schemas/calendar.yaml, with the dates the deployment's regime gives them (end_date
-- inclusive), the cut-off and the deadline. The calendar is defined there, once; this model only
-- reads its seed. Windows (is_window: nine_months, phase) are for analysts: models that follow
-- what files report (int_periods_in_scope) leave them out.
select
    period_year,
    period_code,
    period_type,
    start_date,
    end_date,
    cutoff_date,
    deadline_date,
    regime,
    is_window,
    after_reform,
    hierarchy_start_date
from staging.stg_reference__periods
