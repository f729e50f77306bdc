-- materialized: table
-- Grain: one row per sender x unit it reports for x validity interval: the reporting chain,
-- versioned, as data. From the epochs of schemas/reporting_chain.yaml (stg_reference__reporting_chain),
-- the admin units (SCD2) and the registered bodies: before 2025-07-01 a district sends for its
-- communes plus its own row and a province for its own row; from 2025-07-01 each commune sends its
-- own row and the province its own; a body (code like CQ06-01, never a GSO code) sends one row with
-- its code, counted in its province, in every epoch. An interval is the overlap of the epoch, the
-- unit's version and (for a commune) its parent's version: valid_from inclusive, valid_to
-- exclusive (NULL = still valid). sector: the body's (NULL for territorial senders).
-- Read by int_period_chain (validation scope, expected senders) and by nothing else.
with

epochs as (
    select *, coalesce(epoch_to, date '9999-12-31') as epoch_until
    from staging.stg_reference__reporting_chain
),

units as (
    select *, coalesce(valid_to, date '9999-12-31') as valid_until
    from staging.stg_reference__admin_units
),

bodies as (
    select *, coalesce(valid_to, date '9999-12-31') as valid_until
    from staging.stg_reference__reporting_bodies
),

placed as (  -- each unit version with its province (and a commune's district), split where its parent's version changes
    select
        unit.unit_code,
        unit.unit_level,
        unit.unit_name,
        province_of(unit.unit_level, unit.unit_code, unit.parent_code, parent.unit_level, parent.parent_code)
            as province_code,
        case when parent.unit_level = 'district' then parent.unit_code end as district_code,
        case when parent.unit_level = 'district' then parent.unit_name end as district_name,
        greatest(unit.valid_from, coalesce(parent.valid_from, unit.valid_from)) as valid_from,
        least(unit.valid_until, coalesce(parent.valid_until, unit.valid_until)) as valid_until
    from units as unit
    left join units as parent
        on unit.unit_level = 'commune'
        and parent.unit_code = unit.parent_code
        and parent.valid_from < unit.valid_until
        and parent.valid_until > unit.valid_from
),

territorial_rows as (  -- a unit sends its own row (reports = 'own'), or its district sends it (reports = 'communes')
    select
        case when epochs.reports = 'own' then placed.unit_code else placed.district_code end as sender_code,
        case when epochs.reports = 'own' then placed.unit_level else 'district' end as sender_kind,
        case when epochs.reports = 'own' then placed.unit_name else placed.district_name end as sender_name,
        cast(null as varchar) as sector,
        placed.province_code,
        placed.unit_code,
        placed.unit_level,
        placed.valid_from,
        placed.valid_until,
        epochs.epoch_from,
        epochs.epoch_until,
        epochs.is_expected
    from placed
    join epochs
        on (epochs.reports = 'own' and epochs.sender_level = placed.unit_level)
        or (
            epochs.reports = 'communes' and epochs.sender_level = 'district'
            and placed.unit_level = 'commune' and placed.district_code is not null
        )
),

body_rows as (
    select
        bodies.body_code as sender_code,
        'body' as sender_kind,
        bodies.body_name as sender_name,
        bodies.sector,
        bodies.province_code,
        bodies.body_code as unit_code,
        'body' as unit_level,
        bodies.valid_from,
        bodies.valid_until,
        epochs.epoch_from,
        epochs.epoch_until,
        epochs.is_expected
    from bodies
    join epochs on epochs.sender_level = 'body' and epochs.reports = 'own'
),

unioned as (
    select * from territorial_rows
    union all
    select * from body_rows
),

clipped as (
    select
        *,
        greatest(valid_from, epoch_from) as chain_from,
        least(valid_until, epoch_until) as chain_until
    from unioned
)

select
    sender_code,
    sender_kind,
    sender_name,
    sector,
    province_code,
    unit_code,
    unit_level,
    chain_from as valid_from,
    nullif(chain_until, date '9999-12-31') as valid_to,
    epoch_from,
    nullif(epoch_until, date '9999-12-31') as epoch_to,
    is_expected
from clipped
where chain_from < chain_until
