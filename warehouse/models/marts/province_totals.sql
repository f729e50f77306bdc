-- materialized: table
-- Grain: one row per province x period x indicator x breakdown (one column per category of the
-- catalogue, NULL = all options; the total is the row with breakdown = 'total'). A province = its districts (each = its
-- communes + its own row) + its own-level row; after 2025-07-01, its communes + its own row.
with

located as (
    select * from intermediate.int_unit_report_values_located
)

select
    period_code as period,
    province_code,
    any_value(province_name) as province_name,
    indicator_code,
    breakdown,
    located.* exclude (
        period_code, province_code, province_name, district_code, district_name, unit_code,
        unit_level, unit_name, indicator_code, breakdown, value
    ),
    cast(sum(value) as bigint) as value,
    count(value) as reported_units
from located
group by all
