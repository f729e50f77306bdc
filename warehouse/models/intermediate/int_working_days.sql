-- materialized: table
-- placeholder: periods9 (Mon-Fri 2000..2100, no holidays; periods9's model replaces this file)
select
    cast(range as date) as day,
    isodow(range) < 6 as is_working_day,
    sum(cast(isodow(range) < 6 as bigint)) over (order by range) as working_day_number
from range(date '2000-01-01', date '2101-01-01', interval 1 day)
