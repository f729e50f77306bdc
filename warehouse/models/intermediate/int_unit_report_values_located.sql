-- materialized: table
-- Grain: one row per period x unit x indicator x breakdown counted in the totals, with the unit's level,
-- name and its district and province as of the period. Every totals mart reads this one model,
-- so communes, districts and provinces can never disagree about where a figure belongs.
with

unit_values as (
    select * from intermediate.int_unit_report_values_current
),

units as (
    select * from intermediate.int_period_units
)

select
    unit_values.period_code,
    units.unit_code,
    units.unit_level,
    units.unit_name,
    units.district_code,
    units.district_name,
    units.province_code,
    units.province_name,
    unit_values.indicator_code,
    unit_values.breakdown,
    unit_values.* exclude (
        period_code, sender_code, submission_id, row_number, unit_code, is_declared_total,
        indicator_code, breakdown, value
    ),  -- one column per category of the catalogue (NULL = all options)
    unit_values.value
from unit_values
join units
    on units.period_code = unit_values.period_code and units.unit_code = unit_values.unit_code
