-- Every period of the calendar in one statement: parallel lists, one element per period.
insert into raw.periods
select
    unnest($period_code),
    unnest($period_type),
    unnest($period_year),
    unnest($start_date),
    unnest($end_date);
