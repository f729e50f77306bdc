-- materialized: view
-- Grain: one row per indicator of the catalogue (schemas/indicators.yaml). Renames and casts only.
with

source as (
    select * from raw.indicators
),

renamed as (
    select
        code as indicator_code,
        label_vi,
        label_en,
        indicator_group,
        cast(sort_order as integer) as sort_order,
        value_type,
        time_aggregation,
        breakdowns
    from source
)

select * from renamed
