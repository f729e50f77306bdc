-- A reference CSV (? = its path) as text: every column VARCHAR, so that codes keep their leading
-- zeros. The one reading of schemas/reference/*.csv and schemas/reporting_bodies.csv; the seeds
-- below take its rows as the relation `csv_rows` (transforms/warehouse.py: _csv_rows).
select * from read_csv(?, all_varchar = true, header = true)
