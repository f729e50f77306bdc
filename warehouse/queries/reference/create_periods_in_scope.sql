-- transforms/reference.py: int_periods_in_scope as a view over `scope_periods`, a temp table that
-- every cursor fills with the periods it asks about (reference/scope_periods.sql). Each question
-- then runs int_period_units on its own cursor; the shared tables never change after the seeds.
-- The same columns as models/intermediate/int_periods_in_scope.sql; windows never are in scope.
create schema if not exists intermediate;

create temp table scope_periods (period_code varchar);

create or replace view intermediate.int_periods_in_scope as
select p.period_code, p.period_type, p.start_date, p.end_date, p.after_reform, p.hierarchy_start_date
from staging.stg_reference__periods as p
join temp.main.scope_periods as s using (period_code)
where not p.is_window;
