-- Old unit -> unit of today's map, where an old figure restates onto it exactly: the communes of
-- today's map made only of whole old units (their old communes, and the island districts that
-- became a đặc khu wholly; int_commune_crosswalk), and the provinces (each old province went wholly
-- into one). `predecessors`: how many old units make up today's unit, so a restated figure is
-- compared only when every one of them reported. For the year-vs-halves check of a year that
-- straddles the reform (crosschecks/year_halves.sql). Codes of the three levels never collide
-- (5, 3 and 2 digits).
select
    old_unit_code as old_code,
    current_commune_code as current_code,
    count(*) over (partition by current_commune_code) as predecessors
from intermediate.int_commune_crosswalk
where current_commune_is_exact and old_unit_level in ('commune', 'district')
union all
select
    old_province_code,
    current_province_code,
    count(*) over (partition by current_province_code)
from staging.stg_reference__province_crosswalk
order by all
