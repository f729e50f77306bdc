-- commune_totals_current_map: one row per commune of today's map (or part with no commune: then
-- the code is NULL and exactness says which part) x period x indicator x breakdown, always in a province;
-- exactness is one of its accepted values, and a commune row is named (no province: `unmapped`).
select period, current_province_code, coalesce(current_commune_code, exactness) as part, indicator_code, breakdown,
       count(*) as n
from commune_totals_current_map
group by period, current_province_code, part, indicator_code, breakdown
having count(*) > 1 or period is null or indicator_code is null or breakdown is null
    or bool_or((current_province_code is null) <> (exactness = 'unmapped'))
    or bool_or((current_commune_code is null) <> (exactness in ('unapportioned', 'district_level', 'province_level', 'unmapped')))
    or bool_or(exactness not in (
        'exact', 'exact_by_population_note', 'partial', 'unapportioned', 'district_level', 'province_level',
        'unmapped'
    ))
    or bool_or(current_commune_name is null)
