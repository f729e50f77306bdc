-- materialized: view
-- Grain: one row per group (cụm thi đua) x epoch x member unit. Source: schemas/unit_groups.yaml
-- (seeded from transforms/groups.py). Renames and casts only.
with

source as (
    select * from raw.unit_groups
),

renamed as (
    select
        ---------- ids
        group_code,
        member_code,
        ---------- attributes
        group_name,
        province_code,
        member_level,
        ---------- validity: valid_to is exclusive, NULL = still in force
        cast(valid_from as date) as valid_from,
        cast(valid_to as date) as valid_to
    from source
)

select * from renamed
