-- materialized: table
-- Grain: one row per district x period x indicator x breakdown (periods before 2025-07-01 only:
-- districts were abolished then); one column per category of the catalogue (NULL = all options),
-- the total is the row with breakdown = 'total'. A district = its communes + its own-level row. value NULL when no unit
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
    breakdown,
    located.* exclude (
        period_code, province_code, province_name, district_code, district_name, unit_code,
        unit_level, unit_name, indicator_code, breakdown, value
    ),
    cast(sum(value) as bigint) as value,
    count(value) as reported_units
from located
group by all
