-- The 2025 crosswalk reaches every commune of today's map and only them, and every one of its old
-- provinces goes to exactly one province of today's map, the one its communes went to.
select 'commune not in the crosswalk' as problem, unit_code as code
from intermediate.int_current_units
where unit_level = 'commune'
    and unit_code not in (select current_commune_code from commune_crosswalk)
union all
select 'crosswalk commune not on today''s map', current_commune_code
from commune_crosswalk
where current_commune_name is null or current_province_name is null
union all
select 'old province split or unmapped', c.old_province_code
from commune_crosswalk as c
left join province_crosswalk as p using (old_province_code)
group by c.old_province_code
having count(distinct c.current_province_code) > 1
    or bool_or(p.current_province_code is distinct from c.current_province_code)
