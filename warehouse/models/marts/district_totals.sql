-- materialized: table
-- Grain: one row per district x period x indicator (periods ending before 2025-07-01 only: districts
-- were abolished then). A district = its communes + its own-level row. value NULL when no unit
-- reported a figure; reported_units counts the rows that did.
with

located as (
    select * from intermediate.int_unit_report_values_located where district_code is not null
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
from located
group by period_code, province_code, district_code, indicator_code
