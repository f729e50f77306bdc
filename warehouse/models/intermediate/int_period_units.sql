-- materialized: table
-- Grain: one row per period x unit valid on any day of the period. When a code has several
-- versions in the period, the one in force at its end (latest valid_from) gives the name and the
-- parents. The hierarchy is the one in force at the period's end: a period that ends before the
-- 2025 reform (schemas/calendar.yaml: reform_date) rolls up commune -> district -> province; one
-- that ends on or after it, commune -> province (district_code is NULL), and its units are those
-- valid on any day from the reform to its end (hierarchy_start_date: 2025S2 = 2025-06-15 ..
-- 2025-12-14 under decree09 has no district). Used by validation (scope of a sender) and by every mart.
with

periods as (
    select * from intermediate.int_periods_in_scope
),

units as (
    select * from staging.stg_reference__admin_units
),

overlapping as (
    select periods.period_code, units.*
    from periods
    join units
        on units.valid_from <= periods.end_date
        and (units.valid_to is null or units.valid_to > periods.hierarchy_start_date)
),

latest as (
    select * from overlapping
    qualify row_number() over (partition by period_code, unit_code order by valid_from desc) = 1
),

resolved as (
    select
        unit.period_code,
        unit.unit_code,
        unit.unit_level,
        unit.unit_name,
        unit.parent_code,
        province_of(unit.unit_level, unit.unit_code, unit.parent_code, parent.unit_level, parent.parent_code)
            as province_code,
        case
            when unit.unit_level = 'district' then unit.unit_code
            when unit.unit_level = 'commune' and parent.unit_level = 'district' then parent.unit_code
        end as district_code
    from latest as unit
    left join latest as parent
        on parent.period_code = unit.period_code and parent.unit_code = unit.parent_code
),

named as (
    select
        resolved.*,
        province.unit_name as province_name,
        district.unit_name as district_name
    from resolved
    left join latest as province
        on province.period_code = resolved.period_code and province.unit_code = resolved.province_code
    left join latest as district
        on district.period_code = resolved.period_code and district.unit_code = resolved.district_code
)

select * from named
