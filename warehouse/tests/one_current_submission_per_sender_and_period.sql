-- At most one current submission per sender x period: a figure is never counted from two files.
select sender_code, period, count(*) as n
from submissions
where is_current
group by sender_code, period
having count(*) > 1
