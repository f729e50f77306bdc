-- materialized: table
-- Grain: one row per province x period x indicator. A province = its districts (each = its
-- communes + its own row) + its own-level row; for a period ending on or after 2025-07-01, its
-- communes + its own row.
with

located as (
    select * from intermediate.int_unit_report_values_located
)

select
    period_code as period,
    province_code,
    any_value(province_name) as province_name,
    indicator_code,
    cast(sum(value) as bigint) as value,
    count(value) as reported_units
from located
group by period_code, province_code, indicator_code
