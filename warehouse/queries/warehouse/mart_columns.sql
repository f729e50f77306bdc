-- Every column of the built marts (schema main), in order, with the comment it carries.
select table_name, column_name, comment
from duckdb_columns()
where database_name = current_database() and schema_name = 'main' and not internal
order by table_name, column_index
