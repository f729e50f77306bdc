-- The period calendar seed (raw.periods), one row per period: written from transforms/periods.py
-- (calendar(), reading schemas/calendar.yaml), the calendar's one definition. int_periods reads it;
-- nothing generates dates in SQL.
create schema if not exists raw;

create or replace table raw.periods (
    period_code varchar primary key,
    period_type varchar not null,  -- year | half_year | quarter | month | nine_months | phase
    period_year integer not null,
    start_date  date not null,     -- first day, inclusive
    end_date    date not null,     -- last day, inclusive
    cutoff_date date not null,     -- the last day whose activity a report counts
    deadline_date date not null,   -- the report is due: N working days after the cut-off
    regime varchar not null,       -- the calendar regime of these dates (decree09 | calendar)
    is_window boolean not null,    -- nine_months and phases: for analysts, never reported by files
    after_reform boolean not null, -- its end is on or after the 2025 reform: no districts
    hierarchy_start_date date not null  -- its units are those valid on any day from here to end_date
);
