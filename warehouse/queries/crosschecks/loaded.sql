-- The submissions a load passes in (? = their ids).
create or replace temp table cc_loaded as
select unnest(?::varchar[]) as submission_id
