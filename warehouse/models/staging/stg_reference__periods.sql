-- materialized: view
-- Grain: one row per period code of the calendar (seeded from transforms/periods.py, which reads
-- schemas/calendar.yaml). Renames and casts only.
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
        cast(end_date as date) as end_date,
        cast(cutoff_date as date) as cutoff_date,
        cast(deadline_date as date) as deadline_date,
        regime,
        cast(is_window as boolean) as is_window,
        cast(after_reform as boolean) as after_reform,
        cast(hierarchy_start_date as date) as hierarchy_start_date
    from source
)

select * from renamed
