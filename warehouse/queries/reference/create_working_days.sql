-- Vietnam's working calendar seed (raw.working_days), one row per day of the calendar's years:
-- written from transforms/periods.py (working_day_rows(): the `holidays` package plus the announced
-- changes of schemas/calendar.yaml). int_working_days numbers the working days.
create schema if not exists raw;

create or replace table raw.working_days (
    day date primary key,
    is_working_day boolean not null,
    note varchar  -- the holiday, the make-up Saturday or the announcement; NULL on ordinary days
);
