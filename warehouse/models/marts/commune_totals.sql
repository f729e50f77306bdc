-- Grain: one row per commune x period x indicator reported in a current accepted submission.
-- value NULL = reported as not available (distinct from 0).
with

unit_values as (
    select * from intermediate.int_unit_report_values_current
),

units as (
    select * from intermediate.int_period_units where unit_level = 'commune'
)

select
    unit_values.period_code as period,
    units.province_code,
    units.province_name,
    units.district_code,
    units.district_name,
    units.unit_code as commune_code,
    units.unit_name as commune_name,
    unit_values.indicator_code,
    unit_values.value
from unit_values
join units
    on units.period_code = unit_values.period_code and units.unit_code = unit_values.unit_code
