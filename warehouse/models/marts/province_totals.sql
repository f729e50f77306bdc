-- materialized: table
-- partition: period
-- Grain: one row per province x period x indicator x breakdown (one column per category of the
-- catalogue, NULL = all options; the total is the row with breakdown = 'total'). A province = its
-- districts (each = its communes + its own-level row) + its own-level row + its reporting bodies'
-- rows; for a period ending on or after 2025-07-01, its communes + its own row + its bodies.
-- expected_senders / reporting_senders: the senders the reporting chain expects in the province for
-- the period, and how many of them have an accepted file (reporting_status), so a figure reads
-- "7 of 8 districts" beside it.
with

located as (
    select * from intermediate.int_unit_report_values_located
),

senders as (
    select
        period,
        province_code,
        count(*) as expected_senders,
        count(*) filter (where status in ('on_time', 'late')) as reporting_senders
    from main.reporting_status
    group by period, province_code
),

totals as (
    select
        period_code as period,
        province_code,
        any_value(province_name) as province_name,
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
left join senders using (period, province_code)
