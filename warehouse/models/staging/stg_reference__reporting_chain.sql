-- materialized: view
-- Grain: one row per epoch x sender level x what it reports (own | communes). Source:
-- schemas/reporting_chain.yaml (seeded from transforms/chain.py). Renames and casts only.
with

source as (
    select * from raw.reporting_chain
),

renamed as (
    select
        ---------- validity: valid_to is exclusive, NULL = still in force
        cast(valid_from as date) as epoch_from,
        cast(valid_to as date) as epoch_to,
        ---------- attributes
        sender_level,
        reports,
        is_expected
    from source
)

select * from renamed
