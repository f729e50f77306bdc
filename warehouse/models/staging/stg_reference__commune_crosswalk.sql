-- materialized: view
-- Grain: one row per edge of the NSO 2025 conversion table: an old commune (or, in 6 rows, an old
-- district's area without a commune code) -> the new commune it went to, effective 2025-07-01.
-- Source: schemas/reference/crosswalk_2025.csv (SOURCES.md: NSO table, typo-fixed; PROVENANCE.md).
-- Renames and casts only: "new" is today's map, so its columns are current_*.
with

source as (
    select * from raw.commune_crosswalk
),

renamed as (
    select
        ---------- ids
        nullif(old_code, '') as old_commune_code,
        old_district_code,
        old_province_code,
        new_code as current_commune_code,
        new_province_code as current_province_code,
        ---------- attributes
        old_name as old_unit_name,
        new_name as crosswalk_commune_name,
        relation,
        nso_note,
        coalesce(nso_note ilike '%toàn bộ dân số%', false) as keeps_whole_population,
        cast(effective_date as date) as effective_date,
        ---------- provenance
        source_file,
        source_sha256
    from source
)

select * from renamed
