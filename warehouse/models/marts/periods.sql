-- materialized: table
-- Grain: one row per period code of the calendar (transforms/periods.py reading
-- schemas/calendar.yaml: FIRST_YEAR..LAST_YEAR; year, half_year, quarter, month, and the windows
-- nine_months and phase), with its first and last day, cut-off, deadline and the regime.
select * from intermediate.int_periods
