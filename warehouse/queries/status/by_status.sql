-- `danvan status`: how many submissions have each status, on the published warehouse.
select status, count(*) as count
from submissions
group by status
order by status
