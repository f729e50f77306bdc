-- materialized: view
-- Grain: one row per old province (63) -> the new province it went to wholly (34), effective
-- 2025-07-01. Source: schemas/reference/province_crosswalk_2025.csv (derived from the commune
-- table: no commune was split across provinces). Renames and casts only.
with

source as (
    select * from raw.province_crosswalk
),

renamed as (
    select
        old_province_code,
        old_province_name,
        new_province_code as current_province_code,
        relation,
        cast(effective_date as date) as effective_date,
        source_file,
        source_sha256
    from source
)

select * from renamed
