-- materialized: table
-- Grain: one row per period code 2000-2035 (year, half_year, quarter, month), calendar dates.
select * from intermediate.int_periods
