-- materialized: table
-- partition: period
-- Grain: one row per commune of today's map x period x indicator x breakdown that any figure
-- reaches (the breakdown as in commune_totals: the total is the row with breakdown = 'total'),
-- plus, per province of today's map x period x indicator x breakdown, up to three rows for the
-- figures no commune of today's map holds (current_commune_code NULL; exactness says which):
-- `unapportioned` ("chưa phân bổ": split old communes whose figure is not divided, and communes
-- reported on an older map than the crosswalk's), `district_level` (old districts' own figures),
-- `province_level` (the province's own row and its bodies); and `unmapped` (no province either: a
-- province before the crosswalk's map, such as Hà Tây before 2008-08-01). A province's rows add up
-- to province_totals_current_map. exactness of a commune row: `exact` (after the reform as
-- reported; before it, made only of whole old communes, all on the crosswalk's map at the period's
-- end), `exact_by_population_note` (its split predecessors are all placed by the NSO note "toàn bộ
-- dân số", for the indicators that follow the population), `partial` (some of its area's figures
-- are in the unapportioned row: split_units says how many split communes').
with

placed as (
    select * from intermediate.int_unit_report_values_current_map
),

periods as (
    select period_code, end_date, after_reform from intermediate.int_periods
),

communes as (
    select distinct
        current_commune_code,
        current_commune_is_exact,
        current_commune_exact_by_population,
        current_commune_mapped_from
    from intermediate.int_commune_crosswalk
),

split_edges as (
    select old_unit_code, current_commune_code, current_province_code
    from intermediate.int_commune_crosswalk
    where is_split
),

population as (
    select indicator_code, true as follows_population from staging.stg_reference__population_indicators
),

current_units as (
    select * from intermediate.int_current_units
),

-- placed.* exclude (...): what is left is the breakdown, one column per category of the catalogue
parts as (
    select
        placed.* exclude (
            unit_code, unit_level, province_code, value, after_reform, placement, is_restated
        ),
        value,
        0 as split
    from placed
    where current_commune_code is not null
    union all by name
    select
        placed.* exclude (
            unit_code, unit_level, province_code, value, after_reform, placement, is_restated,
            current_province_code, current_commune_code
        ),
        edge.current_province_code,
        edge.current_commune_code,
        null as value,
        1 as split
    from placed
    join split_edges as edge on edge.old_unit_code = placed.unit_code
    where placed.placement = 'split' and placed.value is not null
),

commune_rows as (
    select
        parts.* exclude (value, split),
        cast(sum(parts.value) as bigint) as value,
        case
            when periods.after_reform then 'exact'
            when communes.current_commune_mapped_from > periods.end_date then 'partial'
            when communes.current_commune_is_exact then 'exact'
            when communes.current_commune_exact_by_population and population.follows_population
                then 'exact_by_population_note'
            else 'partial'
        end as exactness,
        cast(count(parts.value) as bigint) as reported_units,
        cast(sum(parts.split) as bigint) as split_units
    from parts
    join periods using (period_code)
    left join communes using (current_commune_code)
    left join population using (indicator_code)
    group by all
),

other_rows as (
    select
        placed.* exclude (
            unit_code, unit_level, province_code, value, after_reform, placement, is_restated,
            current_commune_code
        ),
        cast(null as varchar) as current_commune_code,
        cast(sum(value) as bigint) as value,
        case
            when placement in ('split', 'off_crosswalk') then 'unapportioned'
            when placement = 'district_level' then 'district_level'
            when placement = 'unmapped' then 'unmapped'
            else 'province_level'
        end as exactness,
        cast(count(value) as bigint) as reported_units,
        cast(count(value) filter (where placement = 'split') as bigint) as split_units
    from placed
    where current_commune_code is null
    group by all
),

all_rows as (
    select * from commune_rows
    union all by name
    select * from other_rows
)

select
    all_rows.period_code as period,
    all_rows.current_province_code,
    province.unit_name as current_province_name,
    all_rows.current_commune_code,
    case all_rows.exactness
        when 'unapportioned' then 'chưa phân bổ'
        when 'district_level' then 'cấp huyện (trước 2025-07-01)'
        when 'province_level' then 'cấp tỉnh và cơ quan'
        when 'unmapped' then 'ngoài bảng chuyển đổi'
        else commune.unit_name
    end as current_commune_name,
    all_rows.indicator_code,
    all_rows.breakdown,
    all_rows.* exclude (  -- the breakdown's columns, one per category of the catalogue
        period_code, current_province_code, current_commune_code, indicator_code, breakdown, value, exactness,
        reported_units, split_units
    ),
    all_rows.value,
    all_rows.exactness,
    not periods.after_reform as is_restated,
    all_rows.reported_units,
    all_rows.split_units
from all_rows
join periods using (period_code)
left join current_units as province
    on province.unit_code = all_rows.current_province_code and province.unit_level = 'province'
left join current_units as commune
    on commune.unit_code = all_rows.current_commune_code and commune.unit_level = 'commune'
-- stored by province and period: a query for one province reads only its row groups (zone maps)
order by all_rows.current_province_code, all_rows.period_code, all_rows.current_commune_code
