-- Who the reporting chain expects for a report's scope in the periods $periods, and what arrived
-- (reporting_status): a province's senders (districts or communes, itself, its bodies); a
-- district itself; a commune itself or, before the 2025 reform, the district that reports for it
-- ($parent); a group's members.
with

group_members as (
    select * from intermediate.int_period_groups where $kind = 'group' and group_code = $code
)

select
    status.period,
    status.sender_code,
    status.sender_name,
    status.sender_kind,
    status.status,
    status.working_days_late,
    status.deadline_date
from reporting_status as status
where list_contains($periods, status.period)
  and (
      ($kind = 'province' and status.province_code = $code)
      or ($kind in ('district', 'commune') and status.sender_code = $code)
      or ($kind = 'commune' and status.sender_code = $parent)
      or (
          $kind = 'group' and exists (
              select 1
              from group_members as m
              where m.period_code = status.period and m.member_code = status.sender_code
          )
      )
  )
order by status.period, status.sender_kind, status.sender_code
