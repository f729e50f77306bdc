-- materialized: table
-- partition: period
-- Grain: one row per district x period x indicator x breakdown (periods ending before 2025-07-01
-- only: districts were abolished then); one column per category of the catalogue (NULL = all
-- options), the total is the row with breakdown = 'total'. A district = its communes + its
-- own-level row. value NULL when no unit reported a figure; reported_units counts the rows that
-- did. expected_senders / reporting_senders: the senders the reporting chain expects for the
-- district's units (the district itself) and how many of them have an accepted file
-- (reporting_status).
with

located as (
    select * from intermediate.int_unit_report_values_located where district_code is not null
),

units as (
    select * from intermediate.int_period_units where district_code is not null
),

senders as (
    select
        status.period,
        units.district_code,
        count(*) as expected_senders,
        count(*) filter (where status.status in ('on_time', 'late')) as reporting_senders
    from main.reporting_status as status
    join units on units.period_code = status.period and units.unit_code = status.sender_code
    group by status.period, units.district_code
),

totals as (
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
            unit_level, unit_name, sector, indicator_code, breakdown, value
        ),
        cast(sum(value) as bigint) as value,
        count(value) as reported_units
    from located
    group by all
)

select
    totals.*,
    coalesce(senders.expected_senders, 0) as expected_senders,
    coalesce(senders.reporting_senders, 0) as reporting_senders
from totals
left join senders using (period, district_code)
