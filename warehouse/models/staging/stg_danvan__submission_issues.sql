-- materialized: view
-- Grain: one row per problem found in a submission. Renames and casts only.
with

source as (
    select * from raw.submission_issues
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
from source
