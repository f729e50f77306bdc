-- The reference tables the scratch build seeded (raw.*, not written by the pipeline: admin
-- units, indicators, periods, working days, the reporting chain and bodies, ...).
select table_name from duckdb_tables()
where database_name = current_database() and schema_name = 'raw' and not list_contains($pipeline_tables, table_name)
order by table_name
