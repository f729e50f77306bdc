-- materialized: table
-- partition: period
-- Grain: one row per commune x period x indicator x breakdown reported in a current accepted
-- submission. value NULL = reported as not available (distinct from 0). One column per category of
-- the catalogue (NULL = all options); the total is the row with breakdown = 'total'.
with

located as (
    select * from intermediate.int_unit_report_values_located where unit_level = 'commune'
)

select
    period_code as period,
    province_code,
    province_name,
    district_code,
    district_name,
    unit_code as commune_code,
    unit_name as commune_name,
    indicator_code,
    breakdown,
    located.* exclude (
        period_code, province_code, province_name, district_code, district_name, unit_code,
        unit_level, unit_name, sector, indicator_code, breakdown, value
    ),
    value
from located
