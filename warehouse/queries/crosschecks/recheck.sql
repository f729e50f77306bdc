-- The current submissions whose relational checks a load may change (? = the touched periods).
create or replace temp table cc_recheck as
select * from cc_current
where period in (select unnest(?::varchar[]))
