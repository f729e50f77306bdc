-- materialized: table
-- Grain: one row per edge of the 2025 crosswalk (old unit -> today's commune), with what the
-- restatement needs to know about both ends:
-- - the old unit: a commune (10,035), or in 6 rows an old district's area without a commune code:
--   `district` when the district had no communes at all (the 5 island districts that became a đặc
--   khu wholly, so its own figures go to it), `area` otherwise (the coastal alluvial land Kim Sơn
--   district managed, which no one reports for); how many new communes it went to (a split
--   commune, 440, went to 2-5), which one the NSO note says kept its whole population (58), and
--   the valid_from of its version in force on the eve of the reform (a report for a period ending
--   before that version began was made on an older map and cannot be placed by this table);
-- - today's commune: whether it is made only of whole old units (2,909 of 3,321: an exact sum), or,
--   if it receives parts of split communes (412), whether the NSO note resolves every one of them.
with

edges as (
    select * from staging.stg_reference__commune_crosswalk
),

units as (
    select * from staging.stg_reference__admin_units
),

current_units as (
    select * from intermediate.int_current_units
),

old_communes as (
    select
        old_commune_code,
        count(*) as old_unit_targets,
        any_value(current_commune_code) filter (where keeps_whole_population) as population_commune_code
    from edges
    where old_commune_code is not null
    group by old_commune_code
),

districts_with_communes as (
    select distinct old_district_code from edges where old_commune_code is not null
),

classified as (
    select
        edges.*,
        case
            when edges.old_commune_code is not null then 'commune'
            when districts_with_communes.old_district_code is null then 'district'
            else 'area'
        end as old_unit_level,
        coalesce(edges.old_commune_code, edges.old_district_code) as old_unit_code,
        coalesce(old_communes.old_unit_targets, 1) as old_unit_targets,
        old_communes.population_commune_code
    from edges
    left join old_communes using (old_commune_code)
    left join districts_with_communes using (old_district_code)
),

dated as (
    select
        classified.*,
        version.valid_from as old_valid_from
    from classified
    left join units as version
        on version.unit_code = classified.old_unit_code
        and version.unit_level = classified.old_unit_level
        and version.valid_from < classified.effective_date
        and (version.valid_to is null or version.valid_to >= classified.effective_date)
),

per_current as (
    select
        current_commune_code,
        count(*) filter (where old_unit_targets > 1) = 0 as current_commune_is_exact,
        bool_and(old_unit_targets = 1 or population_commune_code is not null) as current_commune_exact_by_population,
        max(old_valid_from) as current_commune_mapped_from
    from dated
    group by current_commune_code
)

select
    dated.old_unit_code,
    dated.old_unit_level,
    dated.old_unit_name,
    dated.old_district_code,
    dated.old_province_code,
    dated.old_valid_from,
    dated.current_commune_code,
    coalesce(commune.unit_name, dated.crosswalk_commune_name) as current_commune_name,
    dated.current_province_code,
    province.unit_name as current_province_name,
    dated.relation,
    dated.nso_note,
    dated.keeps_whole_population,
    dated.old_unit_targets,
    dated.old_unit_targets > 1 as is_split,
    dated.population_commune_code,
    per_current.current_commune_is_exact,
    per_current.current_commune_exact_by_population,
    per_current.current_commune_mapped_from,
    dated.effective_date,
    dated.source_file,
    dated.source_sha256
from dated
join per_current using (current_commune_code)
left join current_units as commune
    on commune.unit_code = dated.current_commune_code and commune.unit_level = 'commune'
left join current_units as province
    on province.unit_code = dated.current_province_code and province.unit_level = 'province'
