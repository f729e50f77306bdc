-- raw.reporting_bodies from schemas/reporting_bodies.csv, read by read_csv_text (`csv_rows`): the
-- non-territorial reporting bodies registered per province.
create or replace table raw.reporting_bodies as
select * from csv_rows
