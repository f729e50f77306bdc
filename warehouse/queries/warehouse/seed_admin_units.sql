-- raw.admin_units from schemas/reference/admin_units.csv, read by read_csv_text (`csv_rows`).
create or replace table raw.admin_units as
select * from csv_rows
