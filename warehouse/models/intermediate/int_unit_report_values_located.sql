-- materialized: table
-- partition: period_code
-- Grain: one row per period x unit x indicator x breakdown counted in the totals, with the unit's level,
-- name and its district and province as of the period. Every totals mart reads this one model,
-- so communes, districts and provinces can never disagree about where a figure belongs. A
-- reporting body's row (unit_level `body`, from the period's reporting chain) counts in its
-- province, never in a district or commune, and carries the body's sector (NULL for territorial units).
with

unit_values as (
    select * from intermediate.int_unit_report_values_current
),

territorial as (
    select
        period_code,
        unit_code,
        unit_level,
        unit_name,
        district_code,
        district_name,
        province_code,
        province_name,
        cast(null as varchar) as sector
    from intermediate.int_period_units
),

bodies as (
    select distinct
        chain.period_code,
        chain.unit_code,
        chain.unit_level,
        chain.sender_name as unit_name,
        cast(null as varchar) as district_code,
        cast(null as varchar) as district_name,
        chain.province_code,
        province.unit_name as province_name,
        chain.sector
    from intermediate.int_period_chain as chain
    left join intermediate.int_period_units as province
        on province.period_code = chain.period_code and province.unit_code = chain.province_code
    where chain.unit_level = 'body'
),

units as (
    select * from territorial
    union all
    select * from bodies
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
    units.sector,
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
