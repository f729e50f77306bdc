-- The figures of the units one level below a report's scope, for the periods $periods (charts and
-- the annex's per-unit sheets): a province's districts (its communes after the 2025 reform), a
-- district's communes, a group's members. One row per period x member x indicator.
with

group_members as (
    select * from intermediate.int_period_groups where $kind = 'group' and group_code = $code
)

select period, district_code as member_code, district_name as member_name, indicator_code, value
from district_totals
where $kind = 'province' and province_code = $code and list_contains($periods, period) and breakdown = 'total'
union all
select period, commune_code, commune_name, indicator_code, value
from commune_totals
where list_contains($periods, period)
  and breakdown = 'total'
  and (
      ($kind = 'province' and province_code = $code and district_code is null)
      or ($kind = 'district' and district_code = $code)
  )
union all
select t.period, t.district_code, t.district_name, t.indicator_code, t.value
from group_members as m
join district_totals as t on t.period = m.period_code and t.district_code = m.member_code
where m.member_level = 'district' and list_contains($periods, t.period) and t.breakdown = 'total'
union all
select t.period, t.commune_code, t.commune_name, t.indicator_code, t.value
from group_members as m
join commune_totals as t on t.period = m.period_code and t.commune_code = m.member_code
where m.member_level = 'commune' and list_contains($periods, t.period) and t.breakdown = 'total'
order by member_code, period, indicator_code
