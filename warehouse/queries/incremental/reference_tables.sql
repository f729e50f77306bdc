-- The reference tables of the base warehouse (raw.*, not written by the pipeline: admin units,
-- indicators, periods, working days, the reporting chain and bodies, ...). $pipeline_tables.
select table_name from duckdb_tables()
where database_name = 'base' and schema_name = 'raw' and not list_contains($pipeline_tables, table_name)
order by table_name
