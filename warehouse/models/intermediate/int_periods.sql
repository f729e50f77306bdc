-- materialized: view
-- Grain: one row per period code (year, half-year, quarter, month) of the calendar: the years
-- transforms/periods.py holds (FIRST_YEAR..LAST_YEAR), with the dates it gives each period
-- (end_date inclusive). The calendar is defined there, once; this model only reads its seed.
select period_year, period_code, period_type, start_date, end_date,
    end_date as cutoff_date, end_date + 4 as deadline_date  -- placeholder: periods9
from staging.stg_reference__periods
