-- The raw tables the attached pipeline file holds (one written before a table existed has none).
select table_name from duckdb_tables() where database_name = 'pipeline' and schema_name = 'raw'
