-- On today's map the rows of a province in commune_totals_current_map (its communes, the
-- unapportioned part "chưa phân bổ", the old districts' own figures and the province level) add up
-- to its restated total in province_totals_current_map, per period, indicator and breakdown.
with

summed as (
    select period, current_province_code, indicator_code, breakdown, sum(value) as value
    from commune_totals_current_map
    group by all
)

select t.period, t.current_province_code, t.indicator_code, t.breakdown, t.value, summed.value as parts_value
from province_totals_current_map as t
full join summed using (period, current_province_code, indicator_code, breakdown)
where t.value is distinct from summed.value
    and current_province_code is not null  -- unmapped: no province to add up to (see current_map_loses_and_doubles_nothing)
