-- materialized: view
-- Grain: one row per province and commune of today's map: the version of each code that is still
-- valid (valid_to NULL), with its name and province. Today's names: a later rename (Quảng Ninh
-- became a city on 2026-09-01) shows under the same code.
with

units as (
    select * from staging.stg_reference__admin_units
    where valid_to is null and unit_level in ('province', 'commune')
)

select
    unit.unit_code,
    unit.unit_level,
    unit.unit_name,
    case when unit.unit_level = 'province' then unit.unit_code else unit.parent_code end as province_code
from units as unit
