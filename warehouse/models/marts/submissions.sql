-- Grain: one row per received file (submission). status: accepted | accepted_with_warnings |
-- rejected | superseded | duplicate. Only `is_current` submissions count in the totals.
with

versioned as (
    select * from intermediate.int_submissions_versioned
)

select
    submission_id,
    sender_code,
    period_code as period,
    file_name,
    file_sha256,
    received_at,
    status,
    error_count,
    warning_count,
    version,
    is_current,
    duplicate_of,
    file_format,
    shape,
    unit_row_count,
    archive_path
from versioned
