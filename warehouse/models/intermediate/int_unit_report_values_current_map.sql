-- materialized: table
-- Grain: one row per period x unit x indicator counted in the totals (int_unit_report_values_located),
-- placed on today's map. After the reform a figure stays where it was reported. Before it:
-- - its province is the new province its old province went to wholly (province_crosswalk);
-- - a commune's figure goes to one of today's communes when the commune went there whole
--   (`whole`), or when it was split and the NSO note names the part that kept its whole population
--   and the indicator follows the population (`population_note`; schemas/restatement.yaml); a split
--   commune's figure is otherwise never divided (`split`: the unapportioned part), nor is one
--   reported on an older map than the crosswalk's (`off_crosswalk`: the commune's version of
--   2025-06-30 began after the period ended);
-- - an old district's own figures have no place on today's map (`district_level`), except an
--   island district without communes that became a đặc khu wholly (`whole`);
-- - a province's own row and its bodies' rows stay at province level (`province_level`);
-- - a figure of a province that is not in the province crosswalk (Hà Tây, merged into Hà Nội on
--   2008-08-01, before the crosswalk's map) has no current province (`unmapped`): kept, never lost.
with

located as (
    select * from intermediate.int_unit_report_values_located
),

periods as (
    select period_code, end_date, after_reform from intermediate.int_periods
),

provinces as (
    select old_province_code, current_province_code from staging.stg_reference__province_crosswalk
),

old_units as (
    select
        old_unit_code,
        old_unit_level,
        any_value(old_valid_from) as old_valid_from,
        any_value(current_commune_code) filter (where not is_split) as whole_commune_code,
        any_value(population_commune_code) as population_commune_code
    from intermediate.int_commune_crosswalk
    where old_unit_level in ('commune', 'district')
    group by old_unit_code, old_unit_level
),

population as (
    select indicator_code, true as follows_population from staging.stg_reference__population_indicators
),

dated as (
    select located.*, periods.end_date, periods.after_reform
    from located
    join periods using (period_code)
),

joined as (
    select
        dated.*,
        case when dated.after_reform then dated.province_code else provinces.current_province_code end
            as current_province_code,
        coalesce(old.old_valid_from <= dated.end_date, false) as on_crosswalk_map,
        old.whole_commune_code,
        old.population_commune_code,
        coalesce(population.follows_population, false) as follows_population
    from dated
    left join provinces
        on not dated.after_reform and provinces.old_province_code = dated.province_code
    left join old_units as old
        on not dated.after_reform
        and old.old_unit_code = dated.unit_code
        and old.old_unit_level = dated.unit_level
    left join population using (indicator_code)
),

placed as (
    select
        joined.*,
        case
            when current_province_code is null then 'unmapped'
            when unit_level in ('province', 'body') then 'province_level'
            when after_reform then 'reported'
            when unit_level = 'district' and not (on_crosswalk_map and whole_commune_code is not null)
                then 'district_level'
            when not on_crosswalk_map then 'off_crosswalk'
            when whole_commune_code is not null then 'whole'
            when follows_population and population_commune_code is not null then 'population_note'
            else 'split'
        end as placement
    from joined
)

select
    placed.* exclude (  -- the names and the old district stay in int_unit_report_values_located
        unit_name, district_code, district_name, province_name, sector,
        end_date, on_crosswalk_map, whole_commune_code, population_commune_code, follows_population
    ),
    not placed.after_reform as is_restated,
    case placement
        when 'reported' then unit_code
        when 'whole' then whole_commune_code
        when 'population_note' then population_commune_code
    end as current_commune_code
from placed
