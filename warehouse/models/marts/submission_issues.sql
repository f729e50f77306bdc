-- materialized: table
-- partition: submission_id
-- Grain: one row per problem found in a submission (row_number NULL = about the whole file).
with

issues as (
    select * from staging.stg_danvan__submission_issues
)

select
    submission_id,
    row_number,
    column_name,
    unit_code,
    issue_code,
    severity,
    value,
    message_vi,
    message_en
from issues
