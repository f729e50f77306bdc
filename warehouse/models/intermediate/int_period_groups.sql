-- materialized: view
-- Grain: one row per period x group x member unit: the group's epoch in force on the period's END
-- date (as for the reporting chain), with the member's name as of the period (int_period_units). A
-- member that is not a unit of the period (a district after the reform) is left out.
with

periods as (
    select * from intermediate.int_periods_in_scope
),

groups as (
    select * from staging.stg_reference__unit_groups
),

units as (
    select * from intermediate.int_period_units
)

select
    periods.period_code,
    groups.group_code,
    groups.group_name,
    groups.province_code,
    groups.member_level,
    groups.member_code,
    units.unit_name as member_name
from periods
join groups
    on groups.valid_from <= periods.end_date
    and (groups.valid_to is null or groups.valid_to > periods.end_date)
join units
    on units.period_code = periods.period_code
    and units.unit_code = groups.member_code
    and units.unit_level = groups.member_level
