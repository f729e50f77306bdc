-- Grain: one row per province x period x indicator. A province = its districts (each = its
-- communes + its own row) + its own-level row; after 2025-07-01, its communes + its own row.
with

unit_values as (
    select * from intermediate.int_unit_report_values_current
),

units as (
    select * from intermediate.int_period_units
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
    indicator_code,
    cast(sum(value) as bigint) as value,
    count(value) as reported_units
from joined
group by period_code, province_code, indicator_code
