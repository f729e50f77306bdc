-- raw.admin_units from schemas/reference/admin_units.csv (? = its path). Every column VARCHAR:
-- codes keep their leading zeros.
create or replace table raw.admin_units as
select * from read_csv(?, all_varchar = true, header = true)
