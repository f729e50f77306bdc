-- materialized: view
-- Grain: one row per non-territorial reporting body (body_code), registered per province.
-- Source: schemas/reporting_bodies.csv. Renames and casts only.
with

source as (
    select * from raw.reporting_bodies
),

renamed as (
    select
        ---------- ids
        body_code,
        province_code,
        ---------- attributes
        body_name,
        sector,
        ---------- validity: valid_to is exclusive, NULL = still valid
        cast(valid_from as date) as valid_from,
        cast(nullif(valid_to, '') as date) as valid_to
    from source
)

select * from renamed
