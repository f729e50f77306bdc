-- The period calendar seed (raw.periods), one row per period: written from transforms/periods.py
-- (calendar()), the calendar's one definition. int_periods reads it; nothing generates dates in SQL.
create schema if not exists raw;

create or replace table raw.periods (
    period_code varchar primary key,
    period_type varchar not null,  -- year | half_year | quarter | month
    period_year integer not null,
    start_date  date not null,     -- first day, inclusive
    end_date    date not null      -- last day, inclusive
);
