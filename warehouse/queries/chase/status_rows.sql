-- The chase list's rows: reporting_status for the periods asked for ($periods, a list of codes), with
-- the province's name and, for a sender with no accepted file, the working days from its deadline to
-- $as_of (0 until the deadline has passed). A late sender keeps the mart's own working_days_late.
with

status as (
    select * from reporting_status where list_contains($periods, period)
),

days as (
    select * from intermediate.int_working_days
),

provinces as (
    select distinct period_code, unit_code, unit_name from intermediate.int_period_units
    where unit_level = 'province'
)

select
    status.period,
    status.province_code,
    provinces.unit_name as province_name,
    status.sender_code,
    status.sender_name,
    status.sender_kind,
    status.sector,
    status.deadline_date,
    status.status,
    status.first_received_at,
    status.accepted_at,
    cast(case
        when status.status in ('missing', 'rejected_only')
            then greatest(as_of.working_day_number - deadline.working_day_number, 0)
        else status.working_days_late
    end as integer) as working_days_late
from status
left join provinces on provinces.period_code = status.period and provinces.unit_code = status.province_code
left join days as deadline on deadline.day = status.deadline_date
left join days as as_of on as_of.day = $as_of::date
order by status.period, status.province_code, status.sender_kind, status.sender_code
