-- The periods one cursor asks about (transforms/reference.py), read by int_periods_in_scope.
create or replace temp table scope_periods as
select unnest($period_codes) as period_code;
