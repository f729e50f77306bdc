-- window_totals: one row per window x grain x unit x indicator x breakdown, none NULL; never more
-- parts than the tiling has, and a value only when every part is in.
select window_code, grain, unit_level, unit_code, indicator_code, breakdown, count(*) as n
from window_totals
group by window_code, grain, unit_level, unit_code, indicator_code, breakdown
having count(*) > 1 or window_code is null or unit_code is null or indicator_code is null or breakdown is null
    or bool_or(parts_reported > parts_in_window)
    or bool_or(value is not null and parts_reported < parts_in_window)
