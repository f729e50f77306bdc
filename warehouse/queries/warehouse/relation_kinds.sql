-- What a model's relation is now ('table' and/or 'view'), so the runner can drop it whatever it is
-- (DuckDB refuses DROP VIEW on a table). $schema, $name.
select 'table' as kind from duckdb_tables() where schema_name = $schema and table_name = $name
union all
select 'view' from duckdb_views() where schema_name = $schema and view_name = $name
