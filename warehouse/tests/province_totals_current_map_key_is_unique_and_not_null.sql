-- province_totals_current_map: one row per province of today's map x period x indicator x breakdown, none of
-- them NULL (an old province missing from the province crosswalk would have no current code).
select period, current_province_code, indicator_code, breakdown, count(*) as n
from province_totals_current_map
group by period, current_province_code, indicator_code, breakdown
having count(*) > 1 or period is null or current_province_code is null or indicator_code is null or breakdown is null
