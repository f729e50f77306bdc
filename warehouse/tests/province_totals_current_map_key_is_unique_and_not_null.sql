-- province_totals_current_map: one row per province of today's map x period x indicator x breakdown, none of
-- them NULL but the province of a figure before the crosswalk's map (exactness `unmapped`).
select period, current_province_code, indicator_code, breakdown, count(*) as n
from province_totals_current_map
group by period, current_province_code, indicator_code, breakdown
having count(*) > 1 or period is null or indicator_code is null or breakdown is null
    or bool_or((current_province_code is null) <> (exactness = 'unmapped'))
