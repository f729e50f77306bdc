-- Grain: one row per district x period x indicator (periods before 2025-07-01 only: districts
-- were abolished then). A district = its communes + its own-level row. value NULL when no unit
-- reported a figure; reported_units counts the rows that did.
with

unit_values as (
    select * from intermediate.int_unit_report_values_current
),

units as (
    select * from intermediate.int_period_units
    where unit_level in ('district', 'commune') and district_code is not null
),

joined as (
    select units.*, unit_values.indicator_code, unit_values.value
    from unit_values
    join units
        on units.period_code = unit_values.period_code and units.unit_code = unit_values.unit_code
)

select
    period_code as period,
    province_code,
    any_value(province_name) as province_name,
    district_code,
    any_value(district_name) as district_name,
    indicator_code,
    cast(sum(value) as bigint) as value,
    count(value) as reported_units
from joined
group by period_code, province_code, district_code, indicator_code
