-- materialized: table
-- Grain: one row per period code of the calendar (transforms/periods.py: FIRST_YEAR..LAST_YEAR;
-- year, half_year, quarter, month), with its first and last day.
select * from intermediate.int_periods
