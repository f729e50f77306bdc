-- materialized: table
-- Grain: one row per old province (63) -> the province of today's map it went to wholly (34), with
-- today's name and the provenance of the table.
with

crosswalk as (
    select * from staging.stg_reference__province_crosswalk
),

current_units as (
    select * from intermediate.int_current_units where unit_level = 'province'
)

select
    crosswalk.old_province_code,
    crosswalk.old_province_name,
    crosswalk.current_province_code,
    current_units.unit_name as current_province_name,
    crosswalk.relation,
    crosswalk.effective_date,
    crosswalk.source_file,
    crosswalk.source_sha256
from crosswalk
left join current_units on current_units.unit_code = crosswalk.current_province_code
