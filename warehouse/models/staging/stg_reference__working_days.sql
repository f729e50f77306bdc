-- materialized: view
-- Grain: one row per day of the working calendar (seeded from transforms/periods.py: the `holidays`
-- package plus the announced changes of schemas/calendar.yaml). Renames and casts only.
with

source as (
    select * from raw.working_days
),

renamed as (
    select
        cast(day as date) as day,
        cast(is_working_day as boolean) as is_working_day,
        note
    from source
)

select * from renamed
