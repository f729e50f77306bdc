-- materialized: table
-- partition: period
-- Grain: one row per province of today's map (34) x period x indicator x breakdown (as in
-- province_totals: the total is the row with breakdown = 'total'): every period on today's map. A
-- period ending before the 2025-07-01 reform is restated: the sum of the old provinces that went
-- wholly into the new one (Thái Nguyên 19 in 2024S1 = old 19 + old 06 Bắc Kạn), which is
-- exact for every indicator (no commune was split across provinces); a later period is as reported.
-- The senders expected and reporting add up the same way ("15 of 18" over the old provinces).
-- Columns are current_*: a join on an old code (province_code) has nothing to join to.
with

totals as (
    select * from main.province_totals
),

periods as (
    select period_code, after_reform from intermediate.int_periods
),

provinces as (
    select old_province_code, current_province_code from staging.stg_reference__province_crosswalk
),

current_units as (
    select unit_code, unit_name from intermediate.int_current_units where unit_level = 'province'
),

restated as (
    select
        totals.*,
        periods.after_reform,
        case when periods.after_reform then totals.province_code else provinces.current_province_code end
            as current_province_code
    from totals
    join periods on periods.period_code = totals.period
    left join provinces
        on not periods.after_reform and provinces.old_province_code = totals.province_code
),

summed as (
    select
        period,
        current_province_code,
        indicator_code,
        breakdown,
        -- the breakdown: one column per category of the catalogue (NULL = all options)
        restated.* exclude (
            period, province_code, province_name, current_province_code, indicator_code, breakdown, value,
            reported_units, expected_senders, reporting_senders, after_reform
        ),
        cast(sum(value) as bigint) as value,
        cast(sum(reported_units) as bigint) as reported_units,
        not bool_or(after_reform) as is_restated,
        list(province_code order by province_code) as period_province_codes,
        cast(sum(expected_senders) as bigint) as expected_senders,
        cast(sum(reporting_senders) as bigint) as reporting_senders
    from restated
    group by all
)

select
    summed.period,
    summed.current_province_code,
    current_units.unit_name as current_province_name,
    summed.* exclude (
        period, current_province_code, is_restated, period_province_codes, reported_units, expected_senders,
        reporting_senders
    ),
    -- a province before the crosswalk's map (Hà Tây until 2008-08-01) has no current province
    case when summed.current_province_code is null then 'unmapped' else 'exact' end as exactness,
    summed.is_restated,
    summed.period_province_codes,
    summed.reported_units,
    summed.expected_senders,
    summed.reporting_senders
from summed
left join current_units on current_units.unit_code = summed.current_province_code
