-- materialized: table
-- partition: period
-- Grain: one row per received file (submission). status: accepted | accepted_with_warnings |
-- rejected | superseded | duplicate, after a validator's standing decision (review_decision,
-- reviewed_by, reviewed_at; verdict = what the pipeline said). Only `is_current` submissions count
-- in the totals. data_docs_path: the Great Expectations Data Docs page of its validation batch
-- (NULL if none was built; the site keeps the latest results only, so an old page may be gone).
with

versioned as (
    select * from intermediate.int_submissions_versioned
),

data_docs as (
    select * from staging.stg_danvan__submission_data_docs
)

select
    versioned.submission_id,
    versioned.sender_code,
    versioned.period_code as period,
    versioned.file_name,
    versioned.file_sha256,
    versioned.received_at,
    versioned.status,
    versioned.error_count,
    versioned.warning_count,
    versioned.version,
    versioned.is_current,
    versioned.duplicate_of,
    versioned.file_format,
    versioned.shape,
    versioned.unit_row_count,
    versioned.archive_path,
    versioned.verdict,
    versioned.review_decision,
    versioned.reviewed_by,
    versioned.reviewed_at,
    data_docs.data_docs_path
from versioned
left join data_docs using (submission_id)
