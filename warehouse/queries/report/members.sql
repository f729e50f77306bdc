-- The figures of the units one level below a report's scope over one tiling $periods (charts and the
-- annex's per-unit sheets): a province's districts (its communes after the 2025 reform), a
-- district's communes, a group's members. One row per member x indicator (totals), by the
-- indicator's time aggregation (over_time, over the parts that have a figure).
with

group_members as (
    select * from intermediate.int_period_groups where $kind = 'group' and group_code = $code
),

member_values as (
    select period, district_code as member_code, district_name as member_name, indicator_code, breakdown, value
    from district_totals
    where $kind = 'province' and province_code = $code
    union all
    select period, commune_code, commune_name, indicator_code, breakdown, value
    from commune_totals
    where ($kind = 'province' and province_code = $code and district_code is null)
       or ($kind = 'district' and district_code = $code)
    union all
    select t.period, t.district_code, t.district_name, t.indicator_code, t.breakdown, t.value
    from group_members as m
    join district_totals as t on t.period = m.period_code and t.district_code = m.member_code
    where m.member_level = 'district'
    union all
    select t.period, t.commune_code, t.commune_name, t.indicator_code, t.breakdown, t.value
    from group_members as m
    join commune_totals as t on t.period = m.period_code and t.commune_code = m.member_code
    where m.member_level = 'commune'
),

parts as (
    select period_code as period, start_date from periods where list_contains($periods, period_code)
)

select
    member_values.member_code,
    any_value(member_values.member_name order by parts.start_date desc) as member_name,
    member_values.indicator_code,
    over_time(
        any_value(indicators.time_aggregation),
        list(member_values.value order by parts.start_date) filter (where member_values.value is not null)
    ) as value
from member_values
join parts using (period)
join indicators using (indicator_code)
where member_values.breakdown = 'total'
group by member_values.member_code, member_values.indicator_code
order by member_values.member_code, member_values.indicator_code
