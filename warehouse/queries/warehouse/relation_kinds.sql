-- What a model's relation is now ('table' and/or 'view'), so the runner can drop it whatever it is
-- (DuckDB refuses DROP VIEW on a table). $schema, $name. Only the connection's own database: an
-- incremental build has the warehouse it patches attached beside it (transforms/incremental.py).
select 'table' as kind from duckdb_tables()
where database_name = current_database() and schema_name = $schema and table_name = $name
union all
select 'view' from duckdb_views()
where database_name = current_database() and schema_name = $schema and view_name = $name
