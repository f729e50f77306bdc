-- Every member row of the groups in one statement: parallel lists, one element per row.
insert into raw.unit_groups
select
    unnest($group_code),
    unnest($group_name),
    unnest($province_code),
    unnest($member_level),
    unnest($member_code),
    unnest($valid_from),
    unnest($valid_to);
