-- materialized: view
-- Grain: one row per period code of the calendar (seeded from transforms/periods.py). Renames and
-- casts only.
with

source as (
    select * from raw.periods
),

renamed as (
    select
        cast(period_year as integer) as period_year,
        period_code,
        period_type,
        cast(start_date as date) as start_date,
        cast(end_date as date) as end_date
    from source
)

select * from renamed
