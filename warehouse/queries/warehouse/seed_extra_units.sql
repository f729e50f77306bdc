-- More units in the same columns (the synthetic units of a scaled benchmark), read by
-- read_csv_text (`csv_rows`).
insert into raw.admin_units
select * from csv_rows
