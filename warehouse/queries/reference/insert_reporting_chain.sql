-- Every row of the chain in one statement: parallel lists, one element per row.
insert into raw.reporting_chain
select
    unnest($valid_from),
    unnest($valid_to),
    unnest($sender_level),
    unnest($reports),
    unnest($is_expected);
