-- materialized: view
-- Grain: one row per received file. Renames and casts only.
with

source as (
    select * from raw.submissions
),

renamed as (
    select
        submission_id,
        sender_code,
        period as period_code,
        file_name,
        file_sha256,
        archive_path,
        file_format,
        shape,
        verdict,
        duplicate_of,
        error_count,
        warning_count,
        unit_row_count,
        received_at at time zone 'UTC' as received_at
    from source
)

select * from renamed
