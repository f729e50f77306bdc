-- raw.reporting_bodies from schemas/reporting_bodies.csv (? = its path): the non-territorial
-- reporting bodies registered per province. Every column VARCHAR: codes keep their leading zeros.
create or replace table raw.reporting_bodies as
select * from read_csv(?, all_varchar = true, header = true)
