-- What each relation of the connection's own database is now: (schema, name, 'table' | 'view'),
-- so the runner can drop a model's relation whatever it is (DuckDB refuses DROP VIEW on a table).
-- Only the connection's own database: an incremental build has the warehouse it patches attached
-- beside it (transforms/incremental.py).
select schema_name, table_name as name, 'table' as kind from duckdb_tables()
where database_name = current_database()
union all
select schema_name, view_name, 'view' from duckdb_views()
where database_name = current_database() and not internal
