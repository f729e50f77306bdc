-- The raw layer of pipeline.duckdb, read-only, while a warehouse is built from it. ? = its path.
attach ? as pipeline (read_only)
