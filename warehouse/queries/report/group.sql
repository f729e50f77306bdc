-- A group of units (cụm thi đua) in its epoch in force on $day, else its latest epoch starting by
-- then: its name, province and members (staging.stg_reference__unit_groups, schemas/unit_groups.yaml).
with

groups as (
    select * from staging.stg_reference__unit_groups where group_code = $code
)

select group_code, group_name, province_code, member_level, member_code
from groups
where valid_from = (select max(valid_from) from groups where valid_from <= $day::date)
order by member_code
