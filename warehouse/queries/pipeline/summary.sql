-- A run's submissions as load recorded them (? = their ids), in the order received.
select submission_id, sender_code, file_name, period, verdict, error_count, warning_count
from raw.submissions
where submission_id in (select unnest(?::varchar[]))
order by received_at, submission_id
