-- commune_totals: one row per commune x period x indicator x breakdown, none of them NULL, always in a province.
select period, commune_code, indicator_code, breakdown, count(*) as n
from commune_totals
group by period, commune_code, indicator_code, breakdown
having count(*) > 1 or period is null or commune_code is null or indicator_code is null or breakdown is null
    or bool_or(province_code is null)
