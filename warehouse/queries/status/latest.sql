-- `danvan status`: the latest submissions received ($limit of them).
select
    received_at,
    sender_code as sender,
    file_name as file,
    period,
    status,
    error_count as errors,
    warning_count as warnings
from submissions
order by received_at desc, submission_id desc
limit $limit
