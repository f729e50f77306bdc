-- group_totals: a group's figure is the sum of the figures of the units under its members (the
-- communes and own-level rows of its districts, or its communes), from the located values.
with

members as (
    select * from intermediate.int_period_groups
),

located as (
    select * from intermediate.int_unit_report_values_located
),

expected as (
    select
        members.period_code as period,
        members.group_code,
        located.indicator_code,
        located.breakdown,
        sum(located.value) as value
    from members
    join located
        on located.period_code = members.period_code
        and (
            (members.member_level = 'district' and located.district_code = members.member_code)
            or (members.member_level = 'commune' and located.unit_code = members.member_code)
        )
    group by all
)

select expected.*, g.value as group_value
from expected
full join group_totals as g using (period, group_code, indicator_code, breakdown)
where expected.value is distinct from g.value
