-- materialized: table
-- Grain: one row per day of the working calendar (transforms/periods.py: the calendar's years).
-- working_day_number is a running count of working days up to the day, inclusive: the working days
-- after day a up to and including day b are b.working_day_number - a.working_day_number (what
-- periods.working_days_between computes in Python).
select
    day,
    is_working_day,
    cast(sum(cast(is_working_day as integer)) over (order by day) as bigint) as working_day_number,
    note
from staging.stg_reference__working_days
