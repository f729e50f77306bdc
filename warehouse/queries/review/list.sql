-- The validators' worklist on the published warehouse: $status ('all' = any), $period (NULL = any).
select
    submission_id,
    sender_code as sender,
    file_name as file,
    period,
    status,
    error_count as errors,
    warning_count as warnings,
    reviewed_by
from submissions
where ($status = 'all' or status = $status) and ($period is null or period = $period)
order by received_at, submission_id
