-- Whether the warehouse has a table or view $name in its main schema (a mart another stream adds).
select count(*) > 0
from (
    select table_name as name from duckdb_tables() where schema_name = 'main'
    union all
    select view_name from duckdb_views() where schema_name = 'main'
)
where name = $name
