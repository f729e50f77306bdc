-- province_totals_current_map: one row per province of today's map x period x indicator, none of
-- them NULL (an old province missing from the province crosswalk would have no current code).
select period, current_province_code, indicator_code, count(*) as n
from province_totals_current_map
group by period, current_province_code, indicator_code
having count(*) > 1 or period is null or current_province_code is null or indicator_code is null
