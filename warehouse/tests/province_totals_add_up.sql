-- province_totals = its district_totals + its own-level row + its bodies (+ its communes after the reform).
with

parts as (
    select period, province_code, indicator_code, breakdown, value from district_totals
    union all
    select period, province_code, indicator_code, breakdown, value from commune_totals where district_code is null
    union all
    select period_code, unit_code, indicator_code, breakdown, value
    from intermediate.int_unit_report_values_located
    where unit_level = 'province'
    union all
    select period, province_code, indicator_code, breakdown, value from body_totals
),

summed as (
    select period, province_code, indicator_code, breakdown, sum(value) as value
    from parts
    group by all
)

select t.period, t.province_code, t.indicator_code, t.breakdown, t.value, summed.value as parts_value
from province_totals as t
left join summed using (period, province_code, indicator_code, breakdown)
where t.value is distinct from summed.value
