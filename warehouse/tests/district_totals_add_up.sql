-- district_totals = its commune_totals + its own-level row.
with

parts as (
    select period, district_code, indicator_code, breakdown, value from commune_totals
    union all
    select period_code, unit_code, indicator_code, breakdown, value
    from intermediate.int_unit_report_values_located
    where unit_level = 'district'
),

summed as (
    select period, district_code, indicator_code, breakdown, sum(value) as value
    from parts
    group by all
)

select d.period, d.district_code, d.indicator_code, d.breakdown, d.value, summed.value as parts_value
from district_totals as d
left join summed using (period, district_code, indicator_code, breakdown)
where d.value is distinct from summed.value
