-- The unit a report is about ($code), as of $day (the report period's end; for a unit that ended
-- before it, its last day): its level, names, type and end (valid_to), its district and its province
-- as of then.
with

target as (
    select *
    from admin_units
    where unit_code = $code and valid_from <= $day::date
    qualify row_number() over (order by valid_from desc) = 1
),

as_of as (
    select least($day::date, coalesce(cast(valid_to - interval 1 day as date), $day::date)) as day
    from target
),

units as (
    select admin_units.*
    from admin_units, as_of
    where admin_units.valid_from <= as_of.day
      and (admin_units.valid_to is null or admin_units.valid_to > as_of.day)
)

select
    target.unit_code,
    target.unit_level,
    target.unit_name,
    target.unit_short_name,
    target.unit_type,
    target.valid_to,
    case when parent.unit_level = 'district' then parent.unit_code end as district_code,
    coalesce(
        case when target.unit_level = 'province' then target.unit_code end,
        case when parent.unit_level = 'province' then parent.unit_code end,
        grandparent.unit_code
    ) as province_code
from target
left join units as parent on parent.unit_code = target.parent_code
left join units as grandparent on grandparent.unit_code = parent.parent_code
