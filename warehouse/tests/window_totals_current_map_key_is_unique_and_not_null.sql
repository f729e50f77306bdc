-- window_totals_current_map: one row per window x grain x province of today's map x indicator x
-- breakdown, none of them NULL (but the province of a figure before the crosswalk's map), never more
-- parts reported than the tiling has.
select window_code, grain, current_province_code, indicator_code, breakdown, count(*) as n
from window_totals_current_map
group by window_code, grain, current_province_code, indicator_code, breakdown
having count(*) > 1 or window_code is null or grain is null or indicator_code is null or breakdown is null
    or bool_or(parts_reported > parts_in_window)
