-- materialized: table
-- Grain: one row per group of units (cụm thi đua, schemas/unit_groups.yaml) x period x indicator x
-- breakdown (one column per category of the catalogue, NULL = all options; the total is the row
-- with breakdown = 'total'). A group = its member districts (district_totals) or communes
-- (commune_totals) in the epoch in force on the period's end date, as of the period.
-- expected_senders / reporting_senders: the members the reporting chain expects for the period (a
-- district before the 2025 reform, a commune after it) and how many have an accepted file; a
-- commune member before the reform is reported by its district and is not counted there.
with

members as (
    select * from intermediate.int_period_groups
),

district_values as (
    select
        members.group_code,
        members.group_name,
        members.province_code as group_province_code,
        totals.* exclude (province_code, province_name, district_code, district_name, expected_senders, reporting_senders)
    from members
    join main.district_totals as totals
        on totals.period = members.period_code and totals.district_code = members.member_code
    where members.member_level = 'district'
),

commune_values as (
    select
        members.group_code,
        members.group_name,
        members.province_code as group_province_code,
        totals.* exclude (province_code, province_name, district_code, district_name, commune_code, commune_name),
        cast(totals.value is not null as bigint) as reported_units
    from members
    join main.commune_totals as totals
        on totals.period = members.period_code and totals.commune_code = members.member_code
    where members.member_level = 'commune'
),

member_values as (
    select * from district_values
    union all by name
    select * from commune_values
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
        any_value(group_province_code) as province_code,
        indicator_code,
        breakdown,
        member_values.* exclude (
            period, group_code, group_name, group_province_code, indicator_code, breakdown, value, reported_units
        ),
        cast(sum(value) as bigint) as value,
        cast(sum(reported_units) as bigint) as reported_units
    from member_values
    group by all
)

select
    totals.*,
    coalesce(senders.expected_senders, 0) as expected_senders,
    coalesce(senders.reporting_senders, 0) as reporting_senders
from totals
left join senders using (period, group_code)
