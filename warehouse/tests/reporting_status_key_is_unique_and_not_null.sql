-- reporting_status: one row per sender x period, neither NULL; status an accepted value.
select sender_code, period, count(*) as n
from reporting_status
group by sender_code, period
having count(*) > 1 or sender_code is null or period is null
    or bool_or(status not in ('on_time', 'late', 'missing', 'rejected_only'))
    or bool_or(sender_kind not in ('province', 'district', 'commune', 'body'))
