-- materialized: table
-- Grain: one row per group of units (cụm thi đua, schemas/unit_groups.yaml) x period x indicator.
-- A group = its member districts (district_totals) or communes (commune_totals) in the epoch in
-- force on the period's end date, as of the period. expected_senders / reporting_senders: the
-- members the reporting chain expects for the period (a district before the 2025 reform, a commune
-- after it) and how many have an accepted file; a commune member before the reform is reported by
-- its district and is not counted there.
with

members as (
    select * from intermediate.int_period_groups
),

member_values as (
    select
        members.period_code as period,
        members.group_code,
        members.group_name,
        members.province_code,
        totals.indicator_code,
        totals.value,
        totals.reported_units
    from members
    join main.district_totals as totals
        on totals.period = members.period_code and totals.district_code = members.member_code
    where members.member_level = 'district'
    union all
    select
        members.period_code,
        members.group_code,
        members.group_name,
        members.province_code,
        totals.indicator_code,
        totals.value,
        cast(totals.value is not null as bigint)
    from members
    join main.commune_totals as totals
        on totals.period = members.period_code and totals.commune_code = members.member_code
    where members.member_level = 'commune'
),

senders as (
    select
        members.period_code as period,
        members.group_code,
        count(status.sender_code) as expected_senders,
        count(status.sender_code) filter (where status.status in ('on_time', 'late')) as reporting_senders
    from members
    left join main.reporting_status as status
        on status.period = members.period_code and status.sender_code = members.member_code
    group by members.period_code, members.group_code
),

totals as (
    select
        period,
        group_code,
        any_value(group_name) as group_name,
        any_value(province_code) as province_code,
        indicator_code,
        cast(sum(value) as bigint) as value,
        cast(sum(reported_units) as bigint) as reported_units
    from member_values
    group by period, group_code, indicator_code
)

select
    totals.*,
    coalesce(senders.expected_senders, 0) as expected_senders,
    coalesce(senders.reporting_senders, 0) as reporting_senders
from totals
left join senders using (period, group_code)
