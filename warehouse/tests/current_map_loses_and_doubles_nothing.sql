-- History on today's map loses and doubles nothing: per period and indicator, the national sum of
-- the figures and the count of units reporting them are the same in province_totals (as of the
-- period), province_totals_current_map and commune_totals_current_map (communes + the rows no
-- commune holds). A figure dropped by a join on a reused code, or counted under two new units,
-- shows here.
with

as_of as (
    select period, indicator_code, breakdown, sum(value) as value, sum(reported_units) as units
    from province_totals
    group by all
),

provinces as (
    select period, indicator_code, breakdown, sum(value) as value, sum(reported_units) as units
    from province_totals_current_map
    group by all
),

communes as (
    select period, indicator_code, breakdown, sum(value) as value, sum(reported_units) as units
    from commune_totals_current_map
    group by all
)

select
    period,
    indicator_code,
    breakdown,
    as_of.value as value_as_of,
    provinces.value as value_provinces,
    communes.value as value_communes,
    as_of.units as units_as_of,
    provinces.units as units_provinces,
    communes.units as units_communes
from as_of
full join provinces using (period, indicator_code, breakdown)
full join communes using (period, indicator_code, breakdown)
where as_of.value is distinct from provinces.value
    or as_of.value is distinct from communes.value
    or as_of.units is distinct from provinces.units
    or as_of.units is distinct from communes.units
