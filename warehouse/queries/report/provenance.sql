-- Where a report's figures come from: per period x indicator x breakdown of the scope, the current accepted
-- submissions whose rows are counted in it (int_unit_report_values_current, located as the totals
-- marts locate them).
with

located as (
    select * from intermediate.int_unit_report_values_located where list_contains($periods, period_code)
),

group_members as (
    select * from intermediate.int_period_groups where $kind = 'group' and group_code = $code
),

in_scope as (
    select located.period_code, located.unit_code, located.indicator_code, located.breakdown
    from located
    where located.value is not null
      and (
          ($kind = 'province' and located.province_code = $code)
          or ($kind = 'district' and located.district_code = $code)
          or ($kind = 'commune' and located.unit_code = $code and located.unit_level = 'commune')
          or (
              $kind = 'group' and exists (
                  select 1
                  from group_members as m
                  where m.period_code = located.period_code
                    and (
                        (m.member_level = 'district' and located.district_code = m.member_code)
                        or (m.member_level = 'commune' and located.unit_code = m.member_code)
                    )
              )
          )
      )
)

select
    current.period_code as period,
    current.indicator_code,
    current.breakdown,
    list(distinct current.submission_id order by current.submission_id) as submission_ids
from intermediate.int_unit_report_values_current as current
join in_scope using (period_code, unit_code, indicator_code, breakdown)
group by current.period_code, current.indicator_code, current.breakdown
order by period, current.indicator_code, current.breakdown
