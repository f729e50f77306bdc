-- materialized: view
-- Grain: one row per administrative unit version (unit_code x valid_from), 2004 -> today.
-- Source: schemas/reference/admin_units.csv (see PROVENANCE.md). Renames and casts only.
with

source as (
    select * from raw.admin_units
),

renamed as (
    select
        ---------- ids
        code as unit_code,
        nullif(parent_code, '') as parent_code,
        ---------- attributes
        level as unit_level,
        name as unit_name,
        short_name as unit_short_name,
        unit_type,
        source as source_snapshot,
        ---------- validity: valid_to is exclusive, NULL = still valid
        cast(valid_from as date) as valid_from,
        cast(nullif(valid_to, '') as date) as valid_to
    from source
)

select * from renamed
